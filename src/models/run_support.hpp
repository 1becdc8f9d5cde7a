#pragma once
// Pieces shared by the recall runs (run.cpp) and the information curve (info_curve.cpp): the
// argmax read-out and the worker pool. Internal to the models layer.
#include "recallbound/models/run.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstddef>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>
#include <vector>

namespace recallbound::models::detail {

/// Index of the largest score; NaN never wins, ties go to the lowest index, -1 when all are NaN.
inline Eigen::Index argmax_row(const Eigen::Ref<const Eigen::RowVectorXf>& scores) {
  Eigen::Index best = -1;
  float best_score = -std::numeric_limits<float>::infinity();
  for (Eigen::Index i = 0; i < scores.size(); ++i)
    if (!std::isnan(scores(i)) && (best < 0 || scores(i) > best_score)) {
      best = i;
      best_score = scores(i);
    }
  return best;
}

/// Runs `count` jobs on `threads` threads; job(i, worker) must only write state owned by job i or
/// by the worker, so results do not depend on the thread count. The first exception is rethrown
/// after every thread joined.
template <typename Job>
void parallel_for(std::size_t count, std::size_t threads, const Job& job, const ProgressCallback& progress) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> done{0};
  std::mutex mutex;  // guards progress calls and `failure`
  std::exception_ptr failure;
  auto worker = [&](std::size_t worker_index) {
    try {
      for (std::size_t i = next++; i < count; i = next++) {
        job(i, worker_index);
        const std::size_t finished = ++done;
        if (progress) {
          std::lock_guard lock(mutex);
          progress(finished, count);
        }
      }
    } catch (...) {
      std::lock_guard lock(mutex);
      if (!failure) failure = std::current_exception();
      next = count;
    }
  };
  const std::size_t spawned = std::min(threads, std::max<std::size_t>(count, 1)) - 1;
  std::vector<std::thread> pool;
  for (std::size_t w = 0; w < spawned; ++w) pool.emplace_back(worker, w + 1);
  worker(0);
  for (std::thread& thread : pool) thread.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace recallbound::models::detail
