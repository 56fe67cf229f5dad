"""Run localstripe, a stateful Stripe emulator, on loopback only (for tests and the demo).

    python -m contributions.providers.stripe.emulator --port 8420 --data-dir DIR

localstripe is GPL-3.0: it is a test and demo dependency only, always run as a separate
process, and nothing else in Readerfund imports it. Its own `localstripe` command listens on
every interface and pickles its store to a fixed file in /tmp, shared by every user and every
run; here it listens on 127.0.0.1 only and keeps its store in `--data-dir`.
"""

import argparse
import os
import pickle
from pathlib import Path

STORE_FILE = "localstripe.pickle"


def keep_store_in(data_dir: Path) -> None:
    """Make localstripe load and save its store in `data_dir` instead of /tmp."""
    from localstripe import resources

    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / STORE_FILE

    def try_load_from_disk(store):
        if path.exists():
            with path.open("rb") as handle:
                saved = pickle.load(handle)  # noqa: S301 - our own file, written below
            store.clear()
            store.update(saved)

    def dump_to_disk(store):
        # localstripe saves after every change: write aside, then rename, so a process
        # stopped mid-write leaves the previous store intact.
        partial = path.with_suffix(".partial")
        with partial.open("wb") as handle:
            pickle.dump(dict(store), handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)

    resources.Store.try_load_from_disk = try_load_from_disk
    resources.Store.dump_to_disk = dump_to_disk


def behave_like_stripe() -> None:
    """Two things Stripe does and localstripe does not, which the provider relies on; taught
    here so that the provider's code is Stripe's path alone:

    - listing PaymentIntents filtered by customer (`GET /v1/payment_intents?customer=`);
    - a declined confirmation names its PaymentIntent in the error, not only the charge.
    """
    from localstripe import resources
    from localstripe.errors import UserError

    list_all = resources.PaymentIntent._api_list_all.__func__

    def list_intents(cls, url, limit=None, starting_after=None, customer=None, **kwargs):
        listed = list_all(cls, url, limit=limit, starting_after=starting_after, **kwargs)
        if customer is not None:
            listed._list = [intent for intent in listed._list if intent.customer == customer]
        return listed

    def raise_failure(charge):
        contents = {"code": charge.failure_code, "charge": charge.id}
        if charge.payment_intent:
            intent = resources.PaymentIntent._api_retrieve(charge.payment_intent)
            contents["payment_intent"] = intent._export()
        raise UserError(402, charge.failure_message, contents)

    resources.PaymentIntent._api_list_all = classmethod(list_intents)
    resources.Charge._raise_failure = raise_failure


def serve(port: int, data_dir: Path, *, from_scratch: bool = False) -> None:
    from aiohttp import web
    from localstripe import resources, server

    keep_store_in(data_dir)
    behave_like_stripe()
    if not from_scratch:
        resources.store.try_load_from_disk()
    print(f"localstripe on http://127.0.0.1:{port} (data in {data_dir})", flush=True)
    web.run_app(server.app, host="127.0.0.1", port=port, print=None, access_log=None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8420)
    parser.add_argument("--data-dir", type=Path, required=True, help="where the store is kept")
    parser.add_argument("--from-scratch", action="store_true", help="ignore a saved store")
    args = parser.parse_args(argv)
    serve(args.port, args.data_dir, from_scratch=args.from_scratch)


if __name__ == "__main__":
    main()
