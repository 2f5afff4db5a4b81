"""``pantau demo``: the whole monitor offline, on a bundled sample written for the project.

``data/`` holds the written texts; :mod:`~pantau.demo.sample` expands them into the sample's
posts, :mod:`~pantau.demo.site` writes them in each source's own format, :mod:`~pantau.demo.server`
serves them on loopback, :mod:`~pantau.demo.mailcatcher` receives the alert emails, and
:mod:`~pantau.demo.runner` runs the real stages over them.
"""
