"""Residents' blogs: one blog per resident or group, and the contributors who write them.

``models`` (the "Blogs des habitants" section, blogs and posts), ``contributors`` (inviting
a resident to write in one blog), ``forms`` and ``admin_views`` (the invitation screen),
``feeds`` (each blog's RSS); templates in ``portal/templates/portal/blogs/``.
"""
