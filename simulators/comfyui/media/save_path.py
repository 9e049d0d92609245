"""Where a save node writes: ComfyUI's folder_paths.get_save_image_path (subfolder, name, next counter)."""

import os
import time
from pathlib import Path

from attrs import frozen


@frozen
class SavePath:
    """The folder, base name, first free counter and subfolder for one save."""

    folder: Path
    filename: str
    counter: int
    subfolder: str

    def file(self, counter: int, extension: str, batch_number: int = 0) -> str:
        """`name_00001_.ext`, with `%batch_num%` replaced."""
        return f"{self.filename.replace('%batch_num%', str(batch_number))}_{counter:05}_.{extension}"


def _expand(prefix: str, width: int, height: int) -> str:
    now = time.localtime()
    for key, value in (("%width%", str(width)), ("%height%", str(height)), ("%year%", str(now.tm_year)),
                       ("%month%", f"{now.tm_mon:02}"), ("%day%", f"{now.tm_mday:02}"),
                       ("%hour%", f"{now.tm_hour:02}"), ("%minute%", f"{now.tm_min:02}"),
                       ("%second%", f"{now.tm_sec:02}")):
        prefix = prefix.replace(key, value)
    return prefix


def _counter_of(name: str, base: str) -> tuple[int, str]:
    prefix = name[:len(base) + 1]
    try:
        digits = int(name[len(base) + 1:].split("_")[0])
    except ValueError:
        digits = 0
    return digits, prefix


def save_path(prefix: str, output_dir: Path, width: int = 0, height: int = 0) -> SavePath:
    """The next free `prefix_NNNNN_` in output_dir; a prefix escaping the folder raises like the real one."""
    if "%" in prefix:
        prefix = _expand(prefix, width, height)
    subfolder = os.path.dirname(os.path.normpath(prefix))
    filename = os.path.basename(os.path.normpath(prefix))
    folder = os.path.join(output_dir, subfolder)
    if os.path.commonpath((str(output_dir), os.path.abspath(folder))) != str(output_dir):
        raise Exception("**** ERROR: Saving image outside the output folder is not allowed."
                        f"\n full_output_folder: {os.path.abspath(folder)}\n         output_dir: {output_dir}")
    try:
        taken = [_counter_of(name, filename) for name in os.listdir(folder)]
        counter = max(d for d, p in taken if os.path.normcase(p[:-1]) == os.path.normcase(filename) and p[-1:] == "_")
        counter += 1
    except ValueError:
        counter = 1
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
        counter = 1
    return SavePath(Path(folder), filename, counter, subfolder)
