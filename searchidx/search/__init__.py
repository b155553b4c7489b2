"""Searching: a query through its rewrites to the backend and back as hits
(searcher), snippets, batches on worker processes (batch), counts per
period (trend) and keyword in context (kwic). The query language and the
rewrites are in query/."""
