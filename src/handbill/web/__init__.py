"""handbill's web page and job queue (issue 10): `handbill serve`, `handbill worker`.

    app.py    the Starlette app: pages, JSON API, limits, headers (create_app(settings))
    jobs.py   the job backends: an embedded process pool, or RQ on Redis
    work.py   the one module that calls handbill's library
    words.py  the page's own words, to translate
    serve.py  what the two commands run
"""
