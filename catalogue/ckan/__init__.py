"""CKAN-compatible Action API (read): lets CKAN portals, harvesters and ``ckanapi`` read us.

``/api/3/action/{name}`` and ``/api/action/{name}`` answer GET and POST with CKAN's envelope
``{"help", "success", "result"}``; the package dicts carry every core CKAN key, ckanext-dcat
friendly extras and our four levels of metadata.
"""
