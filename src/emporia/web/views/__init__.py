"""Server-rendered pages: storefront, account, seller center, operations console.

Views validate input with a form, call one service or selector, and shape the
answer; rules live in ``core``.
"""
