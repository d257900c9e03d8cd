"""The packed codec: a Whoosh codec with a compact term dictionary and numpy-decodable postings.

Whoosh's W3 format costs ~75 bytes of fixed term info per term in an on-disk hash and pickles
posting blocks; at 22k articles that was 70 MB of dictionary and postings for 39 MB of text.

Postings file (`.pkp`), one record per term, in term order:
    varint len(ids) | varint len(second) | [varint len(lengths), V_RAW only]
    ids:     document-number gaps as LEB128 varints (the first from 0), raw-deflated if long
    second:  the weights (see W_*): nothing, varint ints, float32, or varint frequencies
             (varints raw-deflated if long)
    values:  the postings' encoded values (see V_*), last, so scoring never reads them
Term file (`.pkt`): per field, blocks of BLOCK_TERMS sorted terms, each zlib-compressed:
    u2 count | u4 df[n] | f4 weight[n] | f4 maxweight[n] | u4 record size[n]
    | u1 minlength byte[n] | u1 maxlength byte[n] | u1 mode[n] | u2 prefix[n] | u2 suffix[n]
    | the terms' suffixes (front coding against the previous term of the block)
then a pickled directory (per field: each block's first term, file offset and postings
offset) and a footer (u8 directory offset, magic). Readers keep only the directory in memory
and decode a block per lookup (bisect on the first terms), a few blocks cached.

Weights are what Whoosh's W3 stores (float32), so scores are bit for bit the same.

Split by concern: varints (encoding integers), postings (a term's record), termdict (the term
dictionary file), matcher (what searches walk), positions (the text fields' positions format),
storedcol (stored fields compressed with a per-segment dictionary), packed (the codec object
Whoosh asks for per segment).
"""

from index_format.codec.packed import PackedCodec, is_packed, packed_postings

__all__ = ["PackedCodec", "is_packed", "packed_postings"]
