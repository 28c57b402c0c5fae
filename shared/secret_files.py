"""Secrets from files (Docker secrets under /run/secrets/) or, in development, from variables.

`NAME_FILE` names a file holding the value of `NAME`; it wins over `NAME`, so that a
deployment never needs to put a secret in the environment, where `docker inspect`, process
listings and crash reports would show it.
"""

from collections.abc import Mapping
from pathlib import Path


class SecretUnavailable(RuntimeError):
    """A secret's file is named but cannot be read, or holds nothing: the process must not
    start half-configured (without sign-in, or without its store's password)."""


def secret(env: Mapping[str, str], name: str, default: str = "") -> str:
    """The value of secret `name`: the content of the file `NAME_FILE` names, else `NAME`."""
    path = env.get(f"{name}_FILE", "")
    if not path:
        return env.get(name, default)
    try:
        value = Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise SecretUnavailable(
            f"{name}_FILE names {path}, which cannot be read ({error.strerror}): "
            f"mount the secret there or unset {name}_FILE"
        ) from error
    if not value:
        raise SecretUnavailable(f"{name}_FILE names {path}, which is empty: write {name} into it")
    return value
