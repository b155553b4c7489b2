"""Searching: query language (parse), typo correction (spelling), term
expansion (expand), ranking and paging (searcher), snippets."""
