// A synthetic e-commerce behaviour log with demographics, providers, funnels and planted biases.

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Parameters of the synthetic behaviour generator (see `SyntheticGenerator` for the story).
public struct SyntheticConfig: Sendable, Equatable {
    public var users: Int
    public var items: Int
    public var seed: UInt64
    /// Length of the log in weeks.
    public var weeks: Int
    /// Mean sessions per (majority, average-activity) user.
    public var sessionsPerUser: Double
    /// Share of users in the minority region ("rural").
    public var minorityShare: Double
    /// Activity multiplier of minority users (they interact less).
    public var minorityActivity: Double
    /// Exposure multiplier of the big providers' items (ranking/placement skew).
    public var bigProviderBoost: Double
    /// Zipf exponent of item popularity.
    public var popularityExponent: Double
    /// First timestamp (seconds); default 2024-01-01T00:00:00Z.
    public var start: Int64
    /// How much item popularity changes over the weeks, 0…1 (see `SyntheticDrift`): 0 is a
    /// stationary catalogue, 1 items that rise and fade and half the catalogue arriving late.
    public var drift: Double

    public init(users: Int = 1000, items: Int = 500, seed: UInt64 = 42, weeks: Int = 6, sessionsPerUser: Double = 6,
                minorityShare: Double = 0.12, minorityActivity: Double = 0.35, bigProviderBoost: Double = 4,
                popularityExponent: Double = 1.0, start: Int64 = 1_704_067_200, drift: Double = 0) {
        self.users = users; self.items = items; self.seed = seed; self.weeks = weeks
        self.sessionsPerUser = sessionsPerUser; self.minorityShare = minorityShare
        self.minorityActivity = minorityActivity; self.bigProviderBoost = bigProviderBoost
        self.popularityExponent = popularityExponent; self.start = start; self.drift = drift
    }
}

/// Generates a realistic, deterministic e-commerce behaviour log.
///
/// The generative story:
///
/// 1. **Catalogue.** Items fall into 12 categories of unequal size. Each item has a provider:
///    three big providers ("Acme", "Globex", "Initech") own about 35% of the catalogue, the rest
///    is spread over 40 small shops. Prices are log-normal around a category base price. Each item
///    has a latent quality (standard normal, independent of provider) and a long-tail base
///    popularity: Zipf weights 1/rank^`popularityExponent` over a seeded random ranking.
/// 2. **Exposure skew (planted bias 1).** In placements (the 30% of views not driven by the
///    user's own category interests) big providers' items are shown `bigProviderBoost` times as
///    often (placement deals). They are not better: conversion depends on quality, fit and price
///    only, and placements fit users less often. So big providers get far more than their
///    catalogue share of views, and a larger share of views than of purchases, which a provider
///    fairness analysis should find.
/// 3. **Users.** Gender (F/M ≈ 49% each, X 2%), age band (18-24 … 65+), region (north, south,
///    east, west, and the minority "rural" group with `minorityShare` of users). Activity is
///    log-normal; rural users have `minorityActivity` times the activity of others (planted bias
///    2): they are fewer and sparser, and their two favourite categories are drawn with niche
///    categories (garden, crafts, health) six times as likely, so collaborative models trained on
///    the majority match them worse. Gender mildly shifts category tastes (beauty, electronics).
/// 4. **Channels.** Each user has channel habits by age (younger: app; older: web and store;
///    rural: more store). Sessions happen at channel-typical hours (app evenings, web working
///    hours, store opening hours, more store visits at weekends) on uniformly drawn days over
///    `weeks` weeks.
/// 5. **Sessions and funnel.** A session views 1 + geometric(mean 3–4; store ≈ 1.5) items; 70% of
///    views come from the user's favourite categories (popularity-weighted), the rest from the
///    whole exposure-weighted catalogue. Web/app sessions often start with a search (the first
///    viewed item is the result clicked), and app/web views are often preceded by a click in a
///    list. A view leads to a cart with probability σ(−3.2 + 0.6·quality + 0.9·fit + channel
///    effect; store +1.2); a cart to a purchase with σ(−0.9 + 0.5·quality + 0.4·fit
///    − 0.4·log(price/base) + store effect 1.5); a purchase to a 1–5 rating with probability 0.3, rating ≈ 3.2 + 0.9·quality
///    + 0.6·fit + noise, one to six days later. So views ≫ carts ≫ purchases > ratings.
/// 6. **Drift** (only with `drift` > 0). Popularity rises and fades week by week and some items
///    arrive late (`SyntheticDrift`); a session picks its items by its week's weights.
///
/// Output: rows sorted by time, event types search/click/view/cart/purchase/rating, channels
/// app/web/store, value = the rating for rating events and 1 otherwise, raw user IDs "1"…"N"
/// and item IDs "1"…"M" (interned in first-appearance order), user attributes gender, age_band,
/// region and item attributes category, provider, provider_size, price. Same config → identical
/// output on every platform (xoshiro256** streams per stage and per user).
public struct SyntheticGenerator: Sendable {
    public var config: SyntheticConfig

    public init(_ config: SyntheticConfig) { self.config = config }

    public static let categories = ["electronics", "books", "fashion", "home", "beauty", "sports",
                                    "toys", "grocery", "garden", "crafts", "health", "music"]
    static let categoryWeights: [Double] = [14, 16, 14, 12, 8, 8, 7, 9, 4, 3, 3, 2]
    static let basePrice: [Double] = [180, 15, 45, 60, 25, 50, 30, 8, 35, 20, 22, 14]
    static let niche: Set<Int> = [8, 9, 10]
    public static let bigProviders = ["Acme", "Globex", "Initech"]
    public static let regions = ["north", "south", "east", "west", "rural"]
    public static let ageBands = ["18-24", "25-34", "35-44", "45-54", "55-64", "65+"]
    static let ageWeights: [Double] = [16, 24, 21, 17, 13, 9]

    /// Roughly what `generate` allocates at its peak: the event rows (about eight per session,
    /// held once as tuples and once as columns) and the per-user and per-item tables.
    public static func estimatedBytes(_ c: SyntheticConfig) -> Int {
        let rows = Double(c.users) * max(c.sessionsPerUser, 0) * 8
        guard rows < 1e15 else { return .max }
        return MemoryBudget.sum(MemoryBudget.product(Int(rows), 2 * 32), MemoryBudget.product(c.users, 256),
                                MemoryBudget.product(c.items, 256), SyntheticDrift.estimatedBytes(c))
    }

    public func generate() -> Interactions { generateWithDrift().data }

    /// The data and, with drift, the item lives it was drawn from (for tests to check against).
    func generateWithDrift() -> (data: Interactions, drift: SyntheticDrift?) {
        let c = config
        precondition(c.users > 0 && c.items > 0, "synthetic data needs at least one user and one item")
        let nCat = SyntheticGenerator.categories.count

        // 1. Catalogue.
        var irng = Xoshiro256(seed: c.seed, stream: 1)
        let catSampler = CategoricalSampler(weights: SyntheticGenerator.categoryWeights)
        var category = [Int](), provider = [String](), big = [Bool](), price = [Double](), quality = [Double]()
        for _ in 0..<c.items {
            let cat = catSampler.sample(&irng)
            category.append(cat)
            if irng.bernoulli(0.35) {
                provider.append(SyntheticGenerator.bigProviders[irng.nextInt(below: 3)]); big.append(true)
            } else {
                provider.append("shop-" + pad2(1 + irng.nextInt(below: 40))); big.append(false)
            }
            let p = SyntheticGenerator.basePrice[cat] * exp(0.5 * irng.nextGaussian())
            price.append((p * 100).rounded() / 100)
            quality.append(irng.nextGaussian())
        }
        let rank = irng.permutation(c.items)
        let popularity = (0..<c.items).map { 1 / pow(Double(rank[$0] + 1), c.popularityExponent) }
        // Placement (home page, banners, "recommended for you") is where the big providers pay
        // for exposure; browsing within a category follows plain popularity.
        let placement = (0..<c.items).map { popularity[$0] * (big[$0] ? c.bigProviderBoost : 1) }
        let globalSampler = CategoricalSampler(weights: placement)
        var itemsInCat = [[Int]](repeating: [], count: nCat)
        for i in 0..<c.items { itemsInCat[category[i]].append(i) }
        let catItemSampler: [CategoricalSampler?] = itemsInCat.map { its in
            its.isEmpty ? nil : CategoricalSampler(weights: its.map { popularity[$0] })
        }
        let drift = c.drift > 0 ? SyntheticDrift(config: c, placement: placement, popularity: popularity, rank: rank, itemsInCat: itemsInCat) : nil

        // 2. Users.
        var urng = Xoshiro256(seed: c.seed, stream: 2)
        let ageSampler = CategoricalSampler(weights: SyntheticGenerator.ageWeights)
        var gender = [String](), age = [Int](), region = [Int](), activity = [Double](), favs = [[Int]](), habit = [[Double]]()
        for _ in 0..<c.users {
            let g = urng.nextDouble()
            gender.append(g < 0.49 ? "F" : (g < 0.98 ? "M" : "X"))
            let a = ageSampler.sample(&urng)
            age.append(a)
            let rural = urng.bernoulli(c.minorityShare)
            region.append(rural ? 4 : urng.nextInt(below: 4))
            activity.append(exp(0.8 * urng.nextGaussian() - 0.32) * (rural ? c.minorityActivity : 1))
            var w = SyntheticGenerator.categoryWeights
            if rural { for k in SyntheticGenerator.niche { w[k] *= 6 } }
            if gender.last == "F" { w[4] *= 2.5 } else if gender.last == "M" { w[0] *= 1.8 }
            let fs = CategoricalSampler(weights: w)
            let f1 = fs.sample(&urng)
            var f2 = fs.sample(&urng)
            var guardCount = 0
            while f2 == f1 && guardCount < 20 { f2 = fs.sample(&urng); guardCount += 1 }
            favs.append(f1 == f2 ? [f1] : [f1, f2])
            var h: [Double] = a <= 1 ? [0.65, 0.30, 0.05] : (a <= 3 ? [0.45, 0.40, 0.15] : [0.20, 0.45, 0.35])
            if rural { h = [h[0] * 0.6, h[1] * 0.8, h[2] + 0.3] }
            habit.append(h)
        }

        // 3. Sessions and events, one stream per user.
        let channelNames = ["app", "web", "store"]
        let eventNames = ["search", "click", "view", "cart", "purchase", "rating"]
        var rows: [(t: Int64, u: Int32, i: Int32, e: UInt16, ch: UInt16, v: Float)] = []
        rows.reserveCapacity(Int(Double(c.users) * c.sessionsPerUser * 8))
        let days = max(1, c.weeks * 7)
        let hourWeights: [[Double]] = [
            (0..<24).map { h in h >= 18 && h <= 23 ? 6 : (h >= 7 && h < 18 ? 2 : 0.4) },   // app: evenings
            (0..<24).map { h in h >= 9 && h <= 17 ? 5 : (h >= 7 && h <= 22 ? 2 : 0.3) },    // web: working hours
            (0..<24).map { h in h >= 10 && h <= 19 ? 5 : 0 },                               // store: opening hours
        ]
        let hourSamplers = hourWeights.map { CategoricalSampler(weights: $0) }
        for u in 0..<c.users {
            var rng = Xoshiro256(seed: c.seed, stream: 1000 + UInt64(u))
            let nSessions = max(1, poisson(c.sessionsPerUser * activity[u], &rng))
            let chSampler = CategoricalSampler(weights: habit[u])
            for _ in 0..<nSessions {
                let ch = chSampler.sample(&rng)
                var day = rng.nextInt(below: days)
                // Store visits lean to weekends (2024-01-01 is a Monday: days 5, 6 mod 7).
                if ch == 2 && day % 7 < 5 && rng.bernoulli(0.3) { day = min(days - 1, day - day % 7 + 5 + rng.nextInt(below: 2)) }
                var t = c.start + Int64(day) * 86400 + Int64(hourSamplers[ch].sample(&rng)) * 3600 + Int64(rng.nextInt(below: 3600))
                func emit(_ item: Int, _ e: Int, _ v: Float = 1) {
                    rows.append((t, Int32(u), Int32(item), UInt16(e), UInt16(ch), v))
                    t += Int64(15 + rng.nextInt(below: 105))
                }
                let meanViews = ch == 2 ? 0.5 : (ch == 0 ? 2.5 : 3.0)
                let nViews = 1 + geometric(mean: meanViews, &rng)
                let searched = ch != 2 && rng.bernoulli(ch == 1 ? 0.4 : 0.25)
                for k in 0..<nViews {
                    let item: Int
                    let fav = favs[u][rng.nextInt(below: favs[u].count)]
                    // A category with nothing on sale this week sends the view to placements.
                    let sampler = drift.map { $0.inCategory[min(day / 7, c.weeks - 1)][fav] } ?? catItemSampler[fav]
                    if rng.bernoulli(0.7), let sampler {
                        item = itemsInCat[fav][sampler.sample(&rng)]
                    } else {
                        item = (drift?.global[min(day / 7, c.weeks - 1)] ?? globalSampler).sample(&rng)
                    }
                    if k == 0 && searched { emit(item, 0) }
                    else if ch != 2 && rng.bernoulli(0.6) { emit(item, 1) }
                    emit(item, 2)
                    let fit = favs[u].contains(category[item]) ? 1.0 : 0.0
                    let chEffect = ch == 2 ? 1.2 : (ch == 0 ? 0.0 : -0.2)
                    if rng.bernoulli(sigmoid(-3.2 + 0.6 * quality[item] + 0.9 * fit + chEffect)) {
                        emit(item, 3)
                        let priceEffect = -0.4 * log(price[item] / SyntheticGenerator.basePrice[category[item]])
                        if rng.bernoulli(sigmoid(-0.9 + 0.5 * quality[item] + 0.4 * fit + priceEffect + (ch == 2 ? 1.5 : 0))) {
                            emit(item, 4)
                            if rng.bernoulli(0.3) {
                                let r = 3.2 + 0.9 * quality[item] + 0.6 * fit + 0.8 * rng.nextGaussian()
                                // Rated one to six days later; the session's own clock goes on.
                                let later = t + Int64(86400 * (1 + rng.nextInt(below: 6)))
                                rows.append((later, Int32(u), Int32(item), 5, UInt16(ch), Float(min(5, max(1, r.rounded())))))
                            }
                        }
                    }
                }
            }
        }

        // 4. Order by time (stable), intern IDs in first-appearance order.
        let order = rows.indices.sorted { rows[$0].t != rows[$1].t ? rows[$0].t < rows[$1].t : $0 < $1 }
        var users = IDMap(), items = IDMap()
        var uCol = [Int32](), iCol = [Int32](), eCol = [UInt16](), cCol = [UInt16](), vCol = [Float](), tCol = [Int64]()
        uCol.reserveCapacity(rows.count); iCol.reserveCapacity(rows.count)
        var uIndex = [Int32](repeating: -1, count: c.users), iIndex = [Int32](repeating: -1, count: c.items)
        for j in order {
            let r = rows[j]
            if uIndex[Int(r.u)] < 0 { uIndex[Int(r.u)] = users.intern(String(r.u + 1)) }
            if iIndex[Int(r.i)] < 0 { iIndex[Int(r.i)] = items.intern(String(r.i + 1)) }
            uCol.append(uIndex[Int(r.u)]); iCol.append(iIndex[Int(r.i)])
            eCol.append(r.e); cCol.append(r.ch); vCol.append(r.v); tCol.append(r.t)
        }
        let ua = try! AttributeTable(keys: (1...c.users).map(String.init), columns: [
            ("gender", .string(gender)), ("age_band", .string(age.map { SyntheticGenerator.ageBands[$0] })),
            ("region", .string(region.map { SyntheticGenerator.regions[$0] })),
        ])
        let ia = try! AttributeTable(keys: (1...c.items).map(String.init), columns: [
            ("category", .string(category.map { SyntheticGenerator.categories[$0] })), ("provider", .string(provider)),
            ("provider_size", .string(big.map { $0 ? "big" : "small" })), ("price", .double(price)),
        ])
        return (Interactions(unchecked: users, items: items, user: uCol, item: iCol, values: .float(vCol), timestamps: tCol,
                             events: CodedColumn(codes: eCol, labels: eventNames),
                             channels: CodedColumn(codes: cCol, labels: channelNames),
                             userAttributes: ua, itemAttributes: ia), drift)
    }
}

/// A synthetic e-commerce behaviour log (see `SyntheticGenerator`).
public func synthetic(users: Int = 1000, items: Int = 500, seed: UInt64 = 42, weeks: Int = 6,
                      sessionsPerUser: Double = 6, drift: Double = 0) -> Interactions {
    SyntheticGenerator(SyntheticConfig(users: users, items: items, seed: seed, weeks: weeks,
                                       sessionsPerUser: sessionsPerUser, drift: drift)).generate()
}

private func pad2(_ x: Int) -> String { x < 10 ? "0\(x)" : "\(x)" }
private func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

/// Poisson draw (Knuth's method for small means, a rounded normal for large ones).
private func poisson(_ lambda: Double, _ rng: inout Xoshiro256) -> Int {
    if lambda <= 0 { return 0 }
    if lambda > 30 { return max(0, Int((lambda + lambda.squareRoot() * rng.nextGaussian()).rounded())) }
    let l = exp(-lambda)
    var k = 0
    var p = 1.0
    repeat { k += 1; p *= rng.nextDouble() } while p > l
    return k - 1
}

/// Geometric number of extra events with the given mean (failures before success).
private func geometric(mean: Double, _ rng: inout Xoshiro256) -> Int {
    if mean <= 0 { return 0 }
    let p = 1 / (1 + mean)
    var k = 0
    while !rng.bernoulli(p) && k < 200 { k += 1 }
    return k
}
