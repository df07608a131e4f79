"""Claiming tasks through the run folder, so several processes share one run and no task is solved twice.

A process that starts a task first creates ``claims/<stem>.json`` with ``os.open(O_CREAT | O_EXCL)``: the
file system lets exactly one process create it. The file names the owner (host, pid, rank, the launch's
session) and the start time; while the owner solves, a heartbeat thread touches the file every
``heartbeat_seconds``. When the result is saved the claim is deleted; when the task fails the claim is
rewritten as ``failed`` with the reason (the other processes of the same launch then do not retry it,
a later run does).

A claim is taken over (deleted and claimed again) only when its owner is certainly gone:

- same machine (boot id and pid namespace; see ``distributed.machine_id``), and the owner's pid is no
  longer alive (a crashed or killed process);
- same machine and pid but another session (an earlier run inside this same Python process);
- no heartbeat for ``stale_seconds`` (an owner on another node that died; clocks must roughly agree);
- ``failed`` in an earlier session (a rerun retries failures, as a single-process rerun always did).

Takeovers are serialised by a second exclusive file, ``claims/<stem>.takeover``, so two processes that
both find the same dead claim cannot both win. Works on a local disk and on shared file systems with
atomic exclusive create (NFSv3+, Lustre, GPFS).
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from arcvdm.distributed import ProcessInfo
from arcvdm.jsonio import write_json_atomic
from arcvdm.tasks import id_file_stem

STALE_SECONDS = 600.0      # no heartbeat for this long: the owner is gone (10 heartbeats missed)
HEARTBEAT_SECONDS = 60.0
TAKEOVER_LOCK_SECONDS = 60.0  # a takeover lock older than this was left by a process that died inside it


@dataclass
class Claim:
    """What a claim file holds."""

    task_id: str
    host: str
    pid: int
    rank: int
    session: str
    started: float                 # time.time() when claimed
    state: str = "running"         # "running" or "failed"
    reason: str = ""               # why it failed
    crashed: bool = False          # the failure was a bug (traceback in the log), not bad input
    machine: str = ""              # the owner's distributed.machine_id (whose pids it shares)

    @property
    def owner(self) -> str:
        return f"process {self.rank} ({self.host}:{self.pid})"


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host (another user's process counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Claims:
    """The claim files of one run folder, as seen by one process."""

    def __init__(self, run_path: Path, me: ProcessInfo, stale_seconds: float = STALE_SECONDS,
                 heartbeat_seconds: float = HEARTBEAT_SECONDS) -> None:
        self.dir = Path(run_path) / "claims"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.me = me
        self.stale_seconds = stale_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self._held: set[Path] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def path(self, task_id: str) -> Path:
        return self.dir / f"{id_file_stem(task_id)}.json"

    # -- reading -------------------------------------------------------------------------
    def read(self, task_id: str) -> Claim | None:
        """The task's claim; None when there is none or it is still being written (empty, partial)."""
        try:
            return Claim(**json.loads(self.path(task_id).read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError):
            return None

    def age(self, task_id: str) -> float | None:
        """Seconds since the claim's last heartbeat; None when there is no claim file."""
        try:
            return time.time() - self.path(task_id).stat().st_mtime
        except FileNotFoundError:
            return None

    def failed_here(self, task_id: str) -> Claim | None:
        """The claim when the task failed in this launch (not to be retried by it), else None."""
        claim = self.read(task_id)
        if claim is not None and claim.state == "failed" and claim.session == self.me.session:
            return claim
        return None

    def orphan_reason(self, task_id: str) -> str | None:
        """Why the task's claim may be taken over, or None while its owner may still be working on it."""
        claim, age = self.read(task_id), self.age(task_id)
        if age is None:
            return "claim vanished"
        if claim is None:  # being written right now, or damaged: only age decides
            return f"unreadable claim with no heartbeat for {age:.0f}s" if age > self.stale_seconds else None
        if claim.state == "failed":
            return None if claim.session == self.me.session else f"failed in an earlier run ({claim.reason})"
        here = claim.machine == self.me.machine if claim.machine and self.me.machine else claim.host == self.me.host
        if here and claim.pid == self.me.pid and claim.session != self.me.session:
            return f"left by an earlier run in this process (pid {claim.pid})"
        if here and claim.pid != self.me.pid and not pid_alive(claim.pid):
            return f"owner pid {claim.pid} on {claim.host} is gone"
        if age > self.stale_seconds:
            return f"no heartbeat from {claim.owner} for {age:.0f}s (stale after {self.stale_seconds:.0f}s)"
        return None

    # -- claiming ------------------------------------------------------------------------
    def _create(self, task_id: str) -> bool:
        path = self.path(task_id)
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            return False
        me = self.me
        claim = Claim(task_id, me.host, me.pid, me.rank, me.session, time.time(), machine=me.machine)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(asdict(claim), f)
        with self._lock:
            self._held.add(path)
        self._start_heartbeat()
        return True

    def acquire(self, task_id: str) -> tuple[bool, str | None]:
        """Claim the task: (True, None) fresh, (True, reason) taken over, (False, None) held by another."""
        if self._create(task_id):
            return True, None
        if self.orphan_reason(task_id) is None:
            return False, None
        lock = self.dir / f"{id_file_stem(task_id)}.takeover"
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            try:  # a process that died between taking the lock and dropping it
                if time.time() - lock.stat().st_mtime > TAKEOVER_LOCK_SECONDS:
                    lock.unlink(missing_ok=True)
            except FileNotFoundError:
                pass
            return False, None
        os.close(fd)
        try:
            reason = self.orphan_reason(task_id)  # checked again under the lock: someone may have won meanwhile
            if reason is None:
                return False, None
            self.path(task_id).unlink(missing_ok=True)
            return (True, reason) if self._create(task_id) else (False, None)
        finally:
            lock.unlink(missing_ok=True)

    def release(self, task_id: str) -> None:
        """Drop this process's claim (its result is saved)."""
        path = self.path(task_id)
        with self._lock:
            self._held.discard(path)
        path.unlink(missing_ok=True)

    def mark_failed(self, task_id: str, reason: str, crashed: bool) -> None:
        """Keep the claim as a record that the task failed in this launch (a later run retries it)."""
        path = self.path(task_id)
        with self._lock:
            self._held.discard(path)
        me = self.me
        write_json_atomic(path, asdict(Claim(task_id, me.host, me.pid, me.rank, me.session, time.time(),
                                             "failed", reason, crashed, me.machine)))

    # -- heartbeat -----------------------------------------------------------------------
    def _start_heartbeat(self) -> None:
        if self._beat is None:
            self._beat = threading.Thread(target=self._beat_loop, name="arcvdm-claims-heartbeat", daemon=True)
            self._beat.start()

    def _beat_loop(self) -> None:
        while not self._stop.wait(self.heartbeat_seconds):
            with self._lock:
                held = list(self._held)
            for path in held:
                try:
                    os.utime(path)
                except FileNotFoundError:
                    pass

    def close(self) -> None:
        """Stop the heartbeat (claims still held stay on disk: a crash leaves them for takeover)."""
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
