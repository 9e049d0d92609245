"""SecantusDB that stops when the process that started it dies; `EmbeddedSecantus` runs this file as a script.

argv: the read end of a pipe whose only write end the parent holds, then SecantusDB's own arguments. The kernel
closes that end however the parent dies (kill -9, OOM, a closed terminal), so EOF means orphaned: stop cleanly
(SIGTERM to the main thread, SecantusDB's own handler), or hard after 20 s. A pipe rather than PR_SET_PDEATHSIG,
which fires when the *thread* that spawned the child ends (the app spawns it from a worker thread,
`asyncio.to_thread`), and which is Linux-only. Standard library and secantus only: this runs outside the project.
"""

import os
import signal
import sys
import threading
import time

from secantus.cli import main


def _stop_when_orphaned(lifeline: int) -> None:
    while os.read(lifeline, 512):
        pass
    signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGTERM)
    time.sleep(20)
    os._exit(1)


if __name__ == "__main__":
    threading.Thread(target=_stop_when_orphaned, args=(int(sys.argv[1]),), daemon=True).start()
    sys.exit(main(sys.argv[2:]))
