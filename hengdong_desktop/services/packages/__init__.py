"""Signed, sealed packages between the townships and the county (the whole feature, one module
each; the trust model is in the README, "Packages and the trust model"):

- `crypto`       Ed25519 signatures, X25519-HKDF-AES-GCM sealing, key ids and fingerprints
- `keys`         key files, enrollment, the county's registry of unit keys, the county identity
                 and its rotation
- `strict_json`  strict JSON for everything read from a package or a key file
- `container`    the .hdpkg file: zip layout, manifest, signature, hostile-input reading
- `contents`     what a 上报包 carries, and its budgets
- `export`       the township's readiness and 上报包 export
- `incoming`     a received 上报包 read into validated records
- `verifying`    verification of a batch shared with a worker process
- `ledger`       every package written or taken in, and what may follow what
- `merge`        merging 上报包 into the county database (business-key matching, three-way merge)
- `review`       接收 / 退回, and the conflict and duplicate queues
- `reply`        the county's 下发包 and 基础数据下发包, and applying them at the township"""
