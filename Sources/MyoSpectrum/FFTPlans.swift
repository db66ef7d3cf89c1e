import MyoCore
import CFFTW

/// FFTW real-to-complex plans, made once per transform length and shared by every thread.
///
/// FFTW's planner is one process-wide structure and not thread-safe, and every plugin that uses
/// spectra links its own copy of this module (so a lock here would exist once per plugin). The
/// first use therefore asks FFTW to wrap its planner in FFTW's own process-wide lock
/// (`fftw_make_planner_thread_safe`, FFTW 3.3.5+); the lock below guards only this copy's cache.
/// Executing a plan on
/// other arrays (`fftw_execute_dft_r2c`) is thread-safe, so workers share plans and bring their
/// own buffers (allocated by FFTW for its SIMD alignment). Plans use FFTW_ESTIMATE: the same
/// algorithm on every run and machine, so spectra are byte-identical (FFTW_MEASURE may time
/// several algorithms and pick differently from run to run).
public final class FFTPlans: Sendable {
    public static let shared = FFTPlans()

    /// FFTW_ESTIMATE | FFTW_UNALIGNED is not needed: buffers come from fftw_alloc_*.
    static let estimate: UInt32 = 1 << 6

    private let plans = Locked<[Int: OpaquePlan]>([:])

    private init() {
        fftw_make_planner_thread_safe()
    }

    struct OpaquePlan: @unchecked Sendable { let plan: fftw_plan }

    /// The plan for a real transform of `length` points (made on first use).
    func plan(length: Int) -> fftw_plan {
        plans.withLock { cache in
            if let made = cache[length] { return made.plan }
            let input = fftw_alloc_real(length)!
            let output = fftw_alloc_complex(length / 2 + 1)!
            defer { fftw_free(input); fftw_free(output) }
            let plan = fftw_plan_dft_r2c_1d(Int32(length), input, output, Self.estimate)!
            cache[length] = OpaquePlan(plan: plan)
            return plan
        }
    }
}

/// One worker's buffers for transforms of one length: the real input and the one-sided output.
public final class FFTWorkspace {
    public let length: Int
    public let input: UnsafeMutablePointer<Double>
    let output: UnsafeMutablePointer<fftw_complex>
    private let plan: fftw_plan

    public init(length: Int) {
        self.length = length
        input = fftw_alloc_real(length)!
        output = fftw_alloc_complex(length / 2 + 1)!
        plan = FFTPlans.shared.plan(length: length)
    }

    deinit {
        fftw_free(input)
        fftw_free(output)
    }

    /// Transforms `input` and writes |X[k]|^2 for k = 0 ... length/2 into `power`.
    public func powerSpectrum(into power: UnsafeMutablePointer<Double>) {
        fftw_execute_dft_r2c(plan, input, output)
        for k in 0...(length / 2) {
            let (re, im) = output[k]
            power[k] = re * re + im * im
        }
    }
}
