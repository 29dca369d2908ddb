"""The waitress server of ``python -m webui``, with its handling of ``Expect: 100-continue`` mended.

Waitress 3.0.2 answers ``Expect: 100-continue`` with ``100 Continue`` and
then marks the request unfinished until its body arrives, even when it has
none (a GET): the client waited for ever.  Such a request is complete when
its headers are, so it is answered at once, without the interim 100.
"""

from __future__ import annotations

from waitress import create_server
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer


class ExpectContinueChannel(HTTPChannel):
    """Waitress's connection, but a request without a body is never told to send one."""

    def send_continue(self) -> None:
        """Ask for the body (``100 Continue``) only of a request that has one."""
        if self.request.chunked or self.request.content_length:
            super().send_continue()
        else:
            self.request.expect_continue = False


def make_server(app, **adjustments):
    """A waitress server for ``app`` (waitress's ``create_server`` settings), ready to run."""
    listeners: dict = {}
    server = create_server(app, map=listeners, **adjustments)
    for listener in listeners.values():
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = ExpectContinueChannel
    return server
