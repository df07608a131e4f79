"""Which process am I: rank, world size and device under ``accelerate launch``, or one plain process.

``accelerate launch --num_processes N -m arcvdm.cli submit ...`` starts N copies of the command (through
torchrun); each reads its place from the environment the launcher sets (``WORLD_SIZE``, ``RANK``,
``LOCAL_RANK``), and ``accelerate.PartialState`` turns that into a device (``cuda:<local rank>`` on a GPU
node, the CPU with the gloo backend elsewhere). Without a launcher nothing is initialised: the process is
rank 0 of 1 and the recipe's device rule applies as before.

Processes never talk to each other about work: tasks are claimed through the run folder
(``arcvdm.runs.Claims``), so a crashed process, a second user or a later plain run on the same folder
fits the same rule. The one message sent is at start-up: rank 0's session id, so every process of one
launch knows which claims belong to this launch.
"""

from __future__ import annotations

import atexit
import os
import socket
import uuid
from dataclasses import dataclass
from pathlib import Path

LAUNCH_VARIABLES = ("WORLD_SIZE", "LOCAL_RANK")  # set by torchrun, which `accelerate launch` uses


@dataclass(frozen=True)
class ProcessInfo:
    """One process of a run: its rank among ``world`` processes, where it runs, and this launch's session."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0
    host: str = ""
    pid: int = 0
    device: str | None = None     # None: keep the recipe's rule (cuda when available, else cpu)
    session: str = ""             # the same for every process of one launch; new for every plain run
    machine: str = ""             # whose pids this process can see (``machine_id``); "" compares host names

    @property
    def is_main(self) -> bool:
        """Rank 0: the process that waits for every task and writes the submission."""
        return self.rank == 0

    @property
    def launched(self) -> bool:
        """Started by a launcher with other processes (``accelerate launch --num_processes N``, N > 1)."""
        return self.world > 1

    @property
    def label(self) -> str:
        """How the log names this process: ``process 1/8 (node2:4711)``."""
        return f"process {self.rank}/{self.world} ({self.host}:{self.pid})"


def machine_id() -> str:
    """Which processes' pids this one can check: the kernel's boot id and this pid namespace.

    Host names alone can repeat (containers with the host's network), and a container sees only its own
    pid namespace; two processes may judge each other's pids only when both parts agree.
    """
    try:
        boot = Path("/proc/sys/kernel/random/boot_id").read_text().strip()
    except OSError:  # not Linux: the host name stands in
        boot = socket.gethostname()
    try:
        pid_namespace = str(os.stat("/proc/self/ns/pid").st_ino)
    except OSError:
        pid_namespace = "-"
    return f"{boot}:{pid_namespace}"


def under_launcher() -> bool:
    """True when a distributed launcher started this process with more than one process in all."""
    return all(name in os.environ for name in LAUNCH_VARIABLES) and int(os.environ["WORLD_SIZE"]) > 1


def plain_process() -> ProcessInfo:
    """This process as one plain run: rank 0 of 1, the recipe's device, a fresh session."""
    return ProcessInfo(0, 1, 0, socket.gethostname(), os.getpid(), None, uuid.uuid4().hex, machine_id())


def current_process() -> ProcessInfo:
    """This process's rank, world size and device; initialises ``accelerate`` only under a launcher."""
    if not under_launcher():
        return plain_process()
    import torch
    from accelerate import PartialState
    from accelerate.utils import broadcast_object_list

    # cpu=True is what makes accelerate pick gloo (MULTI_CPU) on a machine without GPUs; on a GPU node
    # each process gets cuda:<local rank> and nccl.
    state = PartialState(cpu=not torch.cuda.is_available())
    atexit.register(_close_process_group)
    session = [uuid.uuid4().hex if state.is_main_process else ""]
    broadcast_object_list(session, from_process=0)
    return ProcessInfo(state.process_index, state.num_processes, state.local_process_index, socket.gethostname(),
                       os.getpid(), str(state.device), session[0], machine_id())


def _close_process_group() -> None:
    """At exit: a process group left open makes torch warn (NCCL) about a leak; no other process is waited for."""
    import torch.distributed as dist

    if dist.is_available() and dist.is_initialized():
        dist.destroy_process_group()


def device_config(config, process: ProcessInfo):
    """``config`` with the backbone on the process's device, when launched and the recipe names no device
    or a bare ``cuda`` (which would put every process on GPU 0); ``cuda:3`` or ``cpu`` are kept as written.

    Only the Solver's copy changes: the run folder's ``config.json`` keeps the recipe as written, so every
    process (and a later single-process run) opens the same folder with the same config.
    """
    import dataclasses

    if process.device is None or config.backbone.device not in (None, "cuda"):
        return config
    return dataclasses.replace(config, backbone=dataclasses.replace(config.backbone, device=process.device))
