"""The console's routers. Imported before any of them, so every `{name:int}` in their paths
is an id that fits the database's 64-bit integer: /api/broadcasts/99999999999999999999 is a 404
like any other missing id, never an overflow (a 500) in the query."""

from __future__ import annotations

from starlette.convertors import IntegerConvertor, register_url_convertor


class RowIdConvertor(IntegerConvertor):
    regex = "[0-9]{1,18}"


register_url_convertor("int", RowIdConvertor())
