// k-anonymity of the users of a dataset over quasi-identifiers.
//
// Sweeney, "k-anonymity: a model for protecting privacy", Int. J. Uncertainty, Fuzziness and
// Knowledge-Based Systems 10(5), 2002: a release is k-anonymous when every combination of
// quasi-identifier values (the equivalence class of a record) is shared by at least k records.
// Here the records are the users with at least one interaction, the quasi-identifiers are user
// attributes, and a missing value is a value of its own ("(missing)"). The remedy for small
// classes is generalisation: coarser values (`cut` an age into bands, merge regions).
//
// k-anonymity says nothing about the behaviour log itself: a user in a class of 1000 can still
// be singled out by the items they bought (see Pseudonymization.swift).

/// Equivalence classes of users over quasi-identifier attributes, and those smaller than k.
public struct KAnonymityReport: Sendable {
    public let quasi: [String]
    public let k: Int
    /// Each class: its values (one per quasi-identifier) and how many users share them,
    /// smallest first (ties by values).
    public let classes: [(values: [String], users: Int)]
    /// Users counted (those with at least one interaction).
    public let userCount: Int

    /// Size of the smallest class: the dataset is k-anonymous for every k up to this (0 with no users).
    public var smallestClass: Int { classes.first?.users ?? 0 }
    /// The classes with fewer than k users.
    public var classesAtRisk: [(values: [String], users: Int)] { classes.filter { $0.users < k } }
    /// How many users sit in classes smaller than k.
    public var usersAtRisk: Int { classesAtRisk.reduce(0) { $0 + $1.users } }

    public init(_ d: Interactions, quasi: [String], k: Int) throws {
        guard k >= 1 else { throw DataError(.invalidArgument, message: "k must be at least 1, got \(k)") }
        guard !quasi.isEmpty else { throw DataError(.invalidArgument, message: "give at least one quasi-identifier attribute") }
        let known = d.userAttributes?.columnNames ?? []
        var labels: [[String]] = []
        for q in quasi {
            guard let l = d.userAttributes?.groupLabels(q, alignedTo: d.users) else {
                throw DataError(.invalidArgument, message: "no user attribute \"\(q)\""
                                + (known.isEmpty ? " (the data has no user attributes)" : " (user attributes: \(known.joined(separator: ", ")))"))
            }
            labels.append(l)
        }
        let present = d.userCounts()
        var sizes: [[String]: Int] = [:]
        var n = 0
        for u in 0..<d.userCount where present[u] > 0 {
            sizes[labels.map { $0[u] }, default: 0] += 1
            n += 1
        }
        self.quasi = quasi; self.k = k; self.userCount = n
        self.classes = sizes.map { ($0.key, $0.value) }.sorted {
            $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.lexicographicallyPrecedes($1.0)
        }
    }

    /// The classes at risk as a table: one column per quasi-identifier, then `users`.
    public func riskTable() throws -> Table {
        let risky = classesAtRisk
        var cols: [(String, Column)] = quasi.enumerated().map { (j, q) in (q, Column(strings: risky.map { $0.values[j] })) }
        cols.append(("users", Column(ints: risky.map { Int64($0.users) })))
        return try Table(cols)
    }
}
