#pragma once
// The information curve of one recall run: how much the state holds about the values written so
// far, at each number of pairs written. One run of N pairs per trial; after the first 2n tokens
// (n pairs written) the state is cloned once per written key, the clone consumes that key and is
// read out (the run itself goes on undisturbed), and the read-outs are decoded (value codes, or a
// ridge probe fitted on separate probe sequences at the same n). The errors at n bound the
// information in the state from below by Fano: I(V_1..V_n; S_2n | keys) >= n D(eps, V), and the
// state's bits bound it from above; see docs/verify.md (recall-curve).
#include "recallbound/exact/number.hpp"
#include "recallbound/models/run.hpp"

#include <cstdint>
#include <memory>
#include <vector>

namespace recallbound::models {

struct CurvePoint {
  std::int64_t pairs_written = 0;   // n: the state after token 2n
  std::uint64_t queries = 0;        // n per trial: every written key is read once
  std::uint64_t errors = 0;
  std::uint64_t state_numbers = 0;  // live numbers at step 2n (the largest over trials)
  Integer state_bits;               // state_numbers * bits per number of the storage format
};

struct InfoCurve {
  std::int64_t pairs = 0;   // N written per sequence
  std::int64_t seq_len = 0;
  std::vector<CurvePoint> points;
};

/// `points` checkpoints n = ceil(N j / points), j = 1 .. points (duplicates dropped), increasing.
/// Throws Error::bad_input when points is outside 1 .. 256.
std::vector<std::int64_t> curve_checkpoints(std::int64_t pairs, std::size_t points);

/// Runs `spec.trials` sequences of `pairs` pairs and measures each checkpoint (increasing, in
/// 1 .. pairs). Trials are aggregated in index order: the result does not depend on spec.threads.
InfoCurve run_info_curve(const RunSpec& spec, std::int64_t pairs, const std::vector<std::int64_t>& checkpoints,
                         const std::shared_ptr<const Weights>& weights, const ProgressCallback& progress = {});

}  // namespace recallbound::models
