#ifndef CCPU_H
#define CCPU_H

/// 1 when the processor and the operating system support every instruction set that LLVM's
/// "haswell" target may use in generated code (AVX, AVX2, BMI1, BMI2, FMA, F16C, LZCNT, MOVBE,
/// POPCNT), else 0; always 0 off x86-64.
int ccpu_has_haswell_features(void);

#endif
