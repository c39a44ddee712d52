// Biased MF kept current: SGD passes over the new ratings only, the old factors as the start.

extension BiasedMF: IncrementalRecommender {
    /// New users and items start as a fit starts them (factors N(0, init_std²), biases 0, from a
    /// stream of the seed that depends on the ID-space size, so successive updates differ); then
    /// `epochs` shuffled passes of the fit's SGD rule run over the new ratings. μ stays.
    public func update(_ u: TrainingUpdate, context: FitContext) throws {
        try requireRatings(u.newEvents, model: name)
        let f = factors, nu = u.all.userCount, ni = u.all.itemCount
        var rng = Xoshiro256(seed: seed, stream: 5000 &+ UInt64(nu) &* 31 &+ UInt64(ni))
        var p = userFactors + (0..<(nu - userCount) * f).map { _ in Float(rng.nextGaussian()) * initStd }
        var q = itemFactors + (0..<(ni - itemCount) * f).map { _ in Float(rng.nextGaussian()) * initStd }
        var bu = (userBias ?? []) + [Float](repeating: 0, count: nu - (userBias?.count ?? 0))
        var bi = (itemBias ?? []) + [Float](repeating: 0, count: ni - (itemBias?.count ?? 0))
        let new = u.newEvents, vals = new.values!.floats
        var order = (0..<Int32(new.count)).map { $0 }
        let lr = learningRate, reg = regularization, useBias = biased, mu = globalMean
        for epoch in 0..<epochs {
            try context.checkCancelled()
            var shuffler = Xoshiro256(seed: seed, stream: 9000 &+ UInt64(epoch))
            shuffler.shuffle(&order)
            for k in order {
                let k = Int(k), uu = Int(new.user[k]), i = Int(new.item[k])
                var d: Float = 0
                for j in 0..<f { d += p[uu * f + j] * q[i * f + j] }
                let e = vals[k] - (mu + (useBias ? bu[uu] + bi[i] : 0) + d)
                if useBias {
                    bu[uu] += lr * (e - reg * bu[uu])
                    bi[i] += lr * (e - reg * bi[i])
                }
                for j in 0..<f {
                    let puf = p[uu * f + j], qif = q[i * f + j]
                    p[uu * f + j] = puf + lr * (e * qif - reg * puf)
                    q[i * f + j] = qif + lr * (e * puf - reg * qif)
                }
            }
        }
        try DivergenceError.check(model: name, epoch: epochs, loss: nil, learned: [p, q, bu, bi])
        install(userFactors: p, itemFactors: q, userBias: biased ? bu : nil, itemBias: biased ? bi : nil,
                globalMean: globalMean, trainingItems: trainingItems.merging(new))
    }
}
