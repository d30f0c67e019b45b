"""What a user's object becomes a widget through.

`AnyWidget` and its traits (`widget`, `traits`), described objects (`descriptor`, `state`), and
references to other widgets (`serialization`); each owns a `Sync` (docs/architecture.md).
"""
