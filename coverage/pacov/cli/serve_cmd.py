"""``pacov serve``: a local planning page where a sketched proposal is scored as it is drawn."""

from pathlib import Path

import click


@click.command("serve")
@click.argument("study", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (the page has no login).")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@click.option("--open", "open_page", is_flag=True, help="Open the page in the default browser.")
def serve_(study, host, port, open_page):
    """Serve the planning page of a study file (STUDY.toml) on this machine."""
    from pacov.serving.server import serve, stderr

    serve(study, host, port, open_page, echo=stderr)
