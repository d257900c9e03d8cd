"""The packed codec: a Whoosh codec with a compact term dictionary and numpy-decodable postings.

Whoosh's W3 format costs ~75 bytes of fixed term info per term in an on-disk hash and pickles
posting blocks; at 22k articles that was 70 MB of dictionary and postings for 39 MB of text.
Weights are what Whoosh's W3 stores (float32), so scores are bit for bit the same.

Split by concern, each module describing its own bytes: varints (encoding integers), postings
(a term's record in the `.pkp` file), termdict (the `.pkt` term dictionary), matcher (what
searches walk), positions (the text fields' positions format), storedcol (stored fields
compressed with a per-segment dictionary), packed (the codec object Whoosh asks for per
segment).
"""

from index_format.codec.packed import PackedCodec, is_packed, packed_postings

__all__ = ["PackedCodec", "is_packed", "packed_postings"]
