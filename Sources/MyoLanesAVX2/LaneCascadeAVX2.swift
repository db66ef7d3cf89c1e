import MyoLanes

/// LaneCascade.run compiled for processors with AVX2 (Package.swift builds this module for
/// Haswell on x86-64), where one register holds the four lanes. Call it only when
/// `ccpu_has_haswell_features()` says so: on an older processor it stops the program with an
/// illegal instruction. Nothing else belongs in this module (scripts/check-avx2-module).
public func runLaneCascadeAVX2(coefficients: UnsafePointer<Double>, sectionCount: Int, states: UnsafeMutablePointer<SIMD4<Double>>,
                               data: UnsafeMutablePointer<SIMD4<Double>>, length: Int, forward: Bool) {
    LaneCascade.run(coefficients: coefficients, sectionCount: sectionCount, states: states, data: data, length: length, forward: forward)
}
