"""Signed packages between the townships and the county (the whole feature, one module each):

- `container`  the .hdpkg file: zip layout, manifest, signature, strict JSON, hostile-input reading
- `keys`       key pairs, enrollment, the county's registry of unit keys, the county key pin
- `contents`   what a 上报包 carries
- `export`     the township's readiness and 上报包 export
- `incoming`   a received 上报包 read into validated records
- `verifying`  verification of a batch shared with a worker process
- `merge`      merging 上报包 into the county database
- `review`     接收 / 退回, and the conflict and duplicate queues
- `reply`      the county's 下发包, and applying it at the township
- `ledger`     every package written or taken in"""
