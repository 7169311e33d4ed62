/// Domain names in letters other than Latin (`мэрия.рф`) as SMTP carries them: each such label
/// as `xn--` and its Punycode (RFC 3492), the rest as it is.
enum Punycode {
    /// `domain` with every non-ASCII label encoded (`пример.рф` → `xn--e1afmkfd.xn--p1ai`),
    /// after NFC and lower-casing as IDNA asks.
    static func asciiDomain(_ domain: String) -> String {
        domain.precomposedStringWithCanonicalMapping.lowercased().split(separator: ".", omittingEmptySubsequences: false).map { label in
            label.unicodeScalars.allSatisfy(\.isASCII) ? String(label) : "xn--" + encode(Array(label.unicodeScalars))
        }.joined(separator: ".")
    }

    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700, initialBias = 72, initialN = 128

    /// RFC 3492, section 6.3.
    static func encode(_ input: [Unicode.Scalar]) -> String {
        var output = input.filter(\.isASCII).map(Character.init)
        let basicCount = output.count
        if basicCount > 0 { output.append("-") }
        var n = initialN, delta = 0, bias = initialBias, handled = basicCount
        let codes = input.map { Int($0.value) }
        while handled < codes.count {
            let next = codes.filter { $0 >= n }.min()!
            delta += (next - n) * (handled + 1)
            n = next
            for code in codes {
                if code < n { delta += 1 }
                guard code == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : k >= bias + tMax ? tMax : k - bias
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, points: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return String(output)
    }

    private static func digit(_ value: Int) -> Character {
        Character(Unicode.Scalar(UInt8(value < 26 ? 0x61 + value : 0x16 + value)))
    }

    private static func adapt(_ delta: Int, points: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
