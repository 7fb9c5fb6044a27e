"""The negotiation engine (协商): assess, build offers by a waterfall, test them by NPV, check them
against the law, route them by authority, and explain every one. Pure: no I/O, no clock."""
