"""A package taken apart and put together again, for tests that forge, tamper with or re-sign
packages the way an attacker with (or without) a key would."""

from __future__ import annotations

import io
import json
import warnings
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hengdong_desktop.services.packages import container as pf
from hengdong_desktop.services.packages import crypto


@dataclass
class Parts:
    """A package taken apart: its members in order (with their zip attributes) and comment, and
    the keys to put it together again (the sender's signing key; the county's keys, to open and
    re-seal the data files)."""

    members: list[tuple[zipfile.ZipInfo, bytes]]
    comment: bytes
    private: Any = None
    county: Any = None  # the county's UnlockedKeys: data files are opened and sealed again
    patches: list[Callable[[bytes], bytes]] = field(default_factory=list)
    plain: dict[str, bytes] = field(default_factory=dict)  # data files, opened

    @classmethod
    def of(cls, payload: bytes, private: Any, county: Any = None) -> Parts:
        with zipfile.ZipFile(io.BytesIO(payload)) as zf:
            members = [(info, zf.read(info)) for info in zf.infolist()]
            parts = cls(members, zf.comment, private, county)
        if county is not None:
            manifest = parts.manifest
            opener = crypto.Opener(county.encryption, manifest["encryption"]["ephemeral"])
            for entry in manifest["files"]:
                stream = opener.compressed(manifest["package_id"], entry["path"], parts.get(entry["path"]))
                parts.plain[entry["path"]] = zlib.decompress(stream)
        return parts

    def get(self, name: str) -> bytes:
        return next(data for info, data in self.members if info.filename == name)

    def set(self, name: str, data: bytes) -> None:
        self.members = [(i, data if i.filename == name else d) for i, d in self.members]

    def remove(self, name: str) -> None:
        self.members = [(i, d) for i, d in self.members if i.filename != name]
        self.plain.pop(name, None)

    def add(
        self,
        name: str,
        data: bytes,
        *,
        compress: int = zipfile.ZIP_DEFLATED,
        attr: int = 0o644 << 16,
    ) -> None:
        info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
        info.filename = name  # as given: on Windows ZipInfo() has turned "\\" into "/"
        info.compress_type, info.external_attr = compress, attr
        self.members.append((info, data))

    @property
    def manifest(self) -> dict[str, Any]:
        return json.loads(self.get(pf.MANIFEST))

    def sign(self, manifest_bytes: bytes, private: Any = None) -> None:
        self.set(pf.MANIFEST, manifest_bytes)
        self.set(pf.SIGNATURE, (private or self.private).sign(manifest_bytes))

    def resign(
        self,
        change: Callable[[dict[str, Any]], None] | None = None,
        private: Any = None,
        package_id: str | None = None,
    ) -> None:
        """Seals the opened data files again (a fresh ephemeral key; under a new `package_id`
        if given), recomputes the file list, applies `change`, signs again."""
        manifest = self.manifest
        manifest["package_id"] = package_id or manifest["package_id"]
        listed = {e["path"]: e for e in manifest["files"]}
        if self.county is not None:
            sealer = crypto.Sealer(self.county.encryption.public_key())
            manifest["encryption"] = sealer.header()
            for path, data in self.plain.items():
                self.set(path, sealer.seal(manifest["package_id"], path, data))

        def entry(name: str, stored: bytes) -> dict[str, Any]:
            plain = self.plain.get(name)
            return {
                "path": name,
                "size": len(plain) if plain is not None else listed[name]["size"],
                "sha256": pf.sha256(stored),
                "records": len(json.loads(plain)) if plain is not None else listed[name]["records"],
            }

        manifest["files"] = [entry(i.filename, d) for i, d in self.members if i.filename in listed]
        if change:
            change(manifest)
        self.sign(json.dumps(manifest, ensure_ascii=False).encode(), private)

    def edit_records(self, path: str, change: Callable[[list[dict[str, Any]]], None]) -> None:
        records = json.loads(self.plain[path])
        change(records)
        self.plain[path] = json.dumps(records).encode()  # escaped: a lone surrogate can be written too
        self.resign()

    def payload(self) -> bytes:
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # duplicate names on purpose
            with zipfile.ZipFile(buffer, "w") as zf:
                zf.comment = self.comment
                for info, data in self.members:
                    zf.writestr(info, data)
        out = buffer.getvalue()
        for patch in self.patches:
            out = patch(out)
        return out
