"""Reading articles: plain text, Markdown and HTML into blocks (article, html), embedded tweets
(tweets), sentences with stable ids (segment). Reading needs no output format."""
