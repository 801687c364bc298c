"""C2C marketplace — the Taobao model (淘宝).

Anyone opens a shop with identity details only; the buyer's money stays in
platform escrow until the goods arrive; reputation is public; sellers buy
traffic with keyword ads; the platform polices fake trades. Built on the
commerce core's extension points; the core never imports this package.
"""
