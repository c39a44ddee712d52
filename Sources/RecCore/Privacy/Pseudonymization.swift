// Keyed pseudonyms for user and item IDs.
//
// A pseudonym is a keyed hash of the ID, as the GDPR's Art. 4(5) describes pseudonymisation
// ("can no longer be attributed to a specific data subject without the use of additional
// information … kept separately"); the construction is HMAC (Bellare, Canetti & Krawczyk,
// "Keying hash functions for message authentication", CRYPTO 1996; RFC 2104) over SHA-256:
//
//     pseudonym(id) = prefix + hex(HMAC-SHA256(key, domain ‖ 0x00 ‖ id))[0..<20]
//
// with domain "user" or "item", so the same raw ID as a user and as an item gets unrelated
// pseudonyms. 80 bits of the tag are kept; a collision (probability ≈ n² / 2⁸¹, 4·10⁻¹³ for
// a million IDs) is detected and reported rather than silently merging two people.
//
// What it protects: the raw IDs, against anyone without the key; the same key gives the same
// pseudonyms in every dataset, so joins between pseudonymized datasets still work. What it does
// NOT protect: linkage through everything else — attributes (a rare age band in a small region),
// and behaviour itself (Narayanan & Shmatikov, "Robust de-anonymization of large sparse
// datasets", IEEE S&P 2008, re-identified Netflix Prize users from a handful of ratings and
// dates). The key is held only for the duration of the call and is never stored.

import Crypto

/// Replaces raw IDs with keyed HMAC-SHA256 pseudonyms.
public struct Pseudonymizer {
    /// Hex digits of the tag kept (80 bits).
    public static let hexDigits = 20
    /// Shortest key accepted, in bytes: HMAC's security rests on the key's entropy.
    public static let minimumKeyBytes = 16

    private let key: SymmetricKey

    public init(key: String) throws {
        guard key.utf8.count >= Self.minimumKeyBytes else {
            throw DataError(.invalidArgument, message: "the key must be at least \(Self.minimumKeyBytes) bytes long (got \(key.utf8.count)); use a long random secret kept outside the data")
        }
        self.key = SymmetricKey(data: Array(key.utf8))
    }

    /// The pseudonym of `id` in `domain` ("user" or "item").
    public func pseudonym(_ id: String, domain: String) -> String {
        var message = Array(domain.utf8)
        message.append(0)
        message.append(contentsOf: id.utf8)
        let tag = HMAC<SHA256>.authenticationCode(for: message, using: key)
        let digits: [Character] = Array("0123456789abcdef")
        var out = domain == "user" ? "u" : "i"
        for (n, byte) in tag.enumerated() where n < Self.hexDigits / 2 {
            out.append(digits[Int(byte >> 4)]); out.append(digits[Int(byte & 15)])
        }
        return out
    }

    /// An ID map with every key replaced by its pseudonym, indices unchanged.
    public func pseudonymized(_ map: IDMap, domain: String) throws -> IDMap {
        let keys = map.keys.map { pseudonym($0, domain: domain) }
        let out = IDMap(keys: keys)
        guard out.count == map.count else {
            throw DataError(.invalidArgument, message: "two \(domain) IDs got the same pseudonym; use another key")
        }
        return out
    }

    /// An attribute table re-keyed by pseudonyms, columns unchanged.
    public func pseudonymized(_ table: AttributeTable, domain: String) throws -> AttributeTable {
        try AttributeTable(keys: try pseudonymized(table.ids, domain: domain).keys,
                           columns: table.columnNames.map { ($0, table.columns[$0]!) })
    }

    /// The data with user IDs (and/or item IDs) replaced; rows, values, timestamps, events and
    /// channels unchanged, attribute tables re-keyed the same way.
    public func pseudonymized(_ d: Interactions, users: Bool, items: Bool) throws -> Interactions {
        let um = users ? try pseudonymized(d.users, domain: "user") : d.users
        let im = items ? try pseudonymized(d.items, domain: "item") : d.items
        let ua = try d.userAttributes.map { users ? try pseudonymized($0, domain: "user") : $0 }
        let ia = try d.itemAttributes.map { items ? try pseudonymized($0, domain: "item") : $0 }
        return Interactions(unchecked: um, items: im, user: d.user, item: d.item, values: d.values, timestamps: d.timestamps,
                            events: d.events, channels: d.channels, userAttributes: ua, itemAttributes: ia)
    }
}
