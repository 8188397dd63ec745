"""Run the schema upgrade in a child process, slowed per statement so a kill lands inside it.

    python -m tests.support.migration_child DATABASE_URL [TARGET_REVISION]

The delay is added by an engine event in this script, not by the product.
"""

from __future__ import annotations

import random
import sys
import time

from sqlalchemy import Engine, event

from bot.db.engine import make_engine, upgrade_schema


def main() -> None:
    url = sys.argv[1]
    target = sys.argv[2] if len(sys.argv) > 2 else "head"

    @event.listens_for(Engine, "before_cursor_execute")
    def slow(*_args: object) -> None:
        time.sleep(random.uniform(0.0, 0.004))

    engine = make_engine(url)
    print("start", flush=True)
    upgrade_schema(engine, target=target)
    print("migrated", flush=True)


if __name__ == "__main__":
    main()
