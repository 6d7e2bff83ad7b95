"""The web pages for coordinators and units (`nhacviec web`): Starlette and Jinja2, server-rendered.

`bot.web.links` needs neither and may be imported by any code that prints or sends a link (chat, Zalo).
"""
