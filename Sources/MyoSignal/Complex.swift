/// A minimal complex number for filter design (poles and zeros); not used on sample paths.
struct Complex: Equatable {
    var re: Double
    var im: Double
    init(_ re: Double, _ im: Double = 0) { self.re = re; self.im = im }

    static func + (a: Complex, b: Complex) -> Complex { Complex(a.re + b.re, a.im + b.im) }
    static func - (a: Complex, b: Complex) -> Complex { Complex(a.re - b.re, a.im - b.im) }
    static func * (a: Complex, b: Complex) -> Complex { Complex(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re) }
    static func * (a: Complex, s: Double) -> Complex { Complex(a.re * s, a.im * s) }
    static func / (a: Complex, b: Complex) -> Complex {
        let d = b.re * b.re + b.im * b.im
        return Complex((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d)
    }
    static prefix func - (a: Complex) -> Complex { Complex(-a.re, -a.im) }

    var magnitude: Double { (re * re + im * im).squareRoot() }

    /// The principal square root.
    var squareRoot: Complex {
        let m = magnitude
        let r = ((m + re) / 2).squareRoot()
        let i = ((m - re) / 2).squareRoot()
        return Complex(r, im < 0 ? -i : i)
    }

    static func exp(i theta: Double) -> Complex { Complex(cos(theta), sin(theta)) }
}

#if canImport(Glibc)
import Glibc
#endif
