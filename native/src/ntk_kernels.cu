// NTK Engine device kernels, loaded by engine-cuda with cuModuleLoadData.
//
// Every matrix is dense and row-major: element (i, j) of a matrix with leading dimension ld lives
// at i * ld + j. Kernels take element counts as long long so that matrices above 2^31 elements
// work; grid-stride loops let the host cap the grid size. Each kernel exists in an _f32 and an _f64
// variant with the same argument order; the Java side (org.ntkengine.cuda.Kernels) holds the list
// of names it looks up, and a test checks that every one of them is in the fatbin.
//
// Numerics: no fast-math. FP32 data is accumulated in FP32 in the products (as cuBLAS does), and
// in FP64 in the reductions (dot, column sums), which the Backend contract asks for. Summation
// order is fixed by the launch shape, so results are reproducible run to run.

#include <stdint.h>

#define NTK_EXTERN extern "C" __global__

namespace {

// ---- element-wise maps: codes shared with org.ntkengine.cuda.Kernels.mapCode

enum MapOp {
  MAP_IDENTITY = 0,
  MAP_RELU = 1,
  MAP_RELU_DERIVATIVE = 2,
  MAP_ERF = 3,
  MAP_ERF_DERIVATIVE = 4,
  MAP_COS = 5,
  MAP_SIN = 6
};

// 2/sqrt(pi), the derivative of erf at 0.
__device__ __constant__ double TWO_OVER_SQRT_PI = 1.1283791670955125738961589031;

__device__ __forceinline__ float apply_map(int op, float x) {
  switch (op) {
    case MAP_RELU: return x > 0.0f ? x : 0.0f;
    case MAP_RELU_DERIVATIVE: return x > 0.0f ? 1.0f : 0.0f;
    case MAP_ERF: return erff(x);
    case MAP_ERF_DERIVATIVE: return (float)TWO_OVER_SQRT_PI * expf(-x * x);
    case MAP_COS: return cosf(x);
    case MAP_SIN: return sinf(x);
    default: return x;
  }
}

__device__ __forceinline__ double apply_map(int op, double x) {
  switch (op) {
    case MAP_RELU: return x > 0.0 ? x : 0.0;
    case MAP_RELU_DERIVATIVE: return x > 0.0 ? 1.0 : 0.0;
    case MAP_ERF: return erf(x);
    case MAP_ERF_DERIVATIVE: return TWO_OVER_SQRT_PI * exp(-x * x);
    case MAP_COS: return cos(x);
    case MAP_SIN: return sin(x);
    default: return x;
  }
}

__device__ __forceinline__ long long global_index() {
  return (long long)blockIdx.x * blockDim.x + threadIdx.x;
}

__device__ __forceinline__ long long grid_stride() {
  return (long long)gridDim.x * blockDim.x;
}

template <typename T>
__device__ void fill(long long n, T value, T* x) {
  for (long long i = global_index(); i < n; i += grid_stride()) x[i] = value;
}

// beta = 0 writes zeros without reading x, so NaN or Inf already there cannot survive.
template <typename T>
__device__ void scale(long long n, T beta, T* x) {
  for (long long i = global_index(); i < n; i += grid_stride()) {
    x[i] = beta == (T)0 ? (T)0 : beta * x[i];
  }
}

template <typename T>
__device__ void hadamard(long long n, T s, const T* x, const T* y, T beta, T* c) {
  for (long long i = global_index(); i < n; i += grid_stride()) {
    T product = s * x[i] * y[i];
    c[i] = beta == (T)0 ? product : product + beta * c[i];
  }
}

template <typename T>
__device__ void map(long long n, int op, const T* x, T* out) {
  for (long long i = global_index(); i < n; i += grid_stride()) out[i] = apply_map(op, x[i]);
}

template <typename T>
__device__ void axpby(long long n, T alpha, const T* x, T beta, T* y) {
  for (long long i = global_index(); i < n; i += grid_stride()) {
    T v = alpha * x[i];
    y[i] = beta == (T)0 ? v : v + beta * y[i];
  }
}

template <typename T>
__device__ void add_row_vector(long long rows, long long cols, T s, const T* v, T* c) {
  long long n = rows * cols;
  for (long long i = global_index(); i < n; i += grid_stride()) c[i] += s * v[i % cols];
}

// One thread per column: neighbouring threads read neighbouring addresses of each row.
template <typename T>
__device__ void column_sums(long long rows, long long cols, double s, const T* a, double beta,
                            T* out) {
  for (long long j = global_index(); j < cols; j += grid_stride()) {
    double sum = 0.0;
    for (long long i = 0; i < rows; ++i) sum += (double)a[i * cols + j];
    double v = s * sum;
    out[j] = (T)(beta == 0.0 ? v : v + beta * (double)out[j]);
  }
}

// Block partial sums of x·y in FP64, one per block; the host adds the partials in block order,
// so the result does not depend on scheduling (no atomics).
constexpr int DOT_THREADS = 256;

template <typename T>
__device__ void dot_partial(long long n, const T* x, const T* y, double* partials) {
  __shared__ double sums[DOT_THREADS];
  double sum = 0.0;
  for (long long i = global_index(); i < n; i += grid_stride()) {
    sum += (double)x[i] * (double)y[i];
  }
  sums[threadIdx.x] = sum;
  __syncthreads();
  for (int half = DOT_THREADS / 2; half > 0; half /= 2) {
    if (threadIdx.x < half) sums[threadIdx.x] += sums[threadIdx.x + half];
    __syncthreads();
  }
  if (threadIdx.x == 0) partials[blockIdx.x] = sums[0];
}

// Copies the lower triangle onto the upper one through a shared tile, so that both the reads
// and the writes of a warp touch consecutive addresses. Launch with 32x8 threads per block over
// a grid of ceil(n/32) x ceil(n/32) blocks.
constexpr int MIRROR_TILE = 32;
constexpr int MIRROR_ROWS = 8;

template <typename T>
__device__ void mirror_lower(int n, T* c, long long ldc) {
  __shared__ T tile[MIRROR_TILE][MIRROR_TILE + 1];
  int bi = blockIdx.y;  // block row of the destination (upper) tile
  int bj = blockIdx.x;  // block column of the destination tile
  if (bj < bi) return;  // destination tiles lie on or above the diagonal
  // Source tile: rows bj*32.., columns bi*32.. (in the lower triangle).
  int src_col = bi * MIRROR_TILE + threadIdx.x;
  for (int r = threadIdx.y; r < MIRROR_TILE; r += MIRROR_ROWS) {
    int src_row = bj * MIRROR_TILE + r;
    if (src_row < n && src_col < n) tile[r][threadIdx.x] = c[(long long)src_row * ldc + src_col];
  }
  __syncthreads();
  int dst_col = bj * MIRROR_TILE + threadIdx.x;
  for (int r = threadIdx.y; r < MIRROR_TILE; r += MIRROR_ROWS) {
    int dst_row = bi * MIRROR_TILE + r;
    if (dst_row < n && dst_col < n && dst_col > dst_row) {
      c[(long long)dst_row * ldc + dst_col] = tile[threadIdx.x][r];
    }
  }
}

// Structured NTK term on the lower triangle: theta = s2 * (gd ⊙ ga) + beta * theta, where gd and ga
// are the Gram matrices of a layer's cotangents and activations (both symmetric, so the upper
// triangle is mirrored once after the last term).
template <typename T>
__device__ void structured_accumulate(int n, T s2, const T* gd, const T* ga, T beta, T* theta) {
  long long total = (long long)n * n;
  for (long long k = global_index(); k < total; k += grid_stride()) {
    long long i = k / n;
    long long j = k - i * n;
    if (j > i) continue;
    T v = s2 * gd[k] * ga[k];
    theta[k] = beta == (T)0 ? v : v + beta * theta[k];
  }
}

// ---- tiled products

// Rounds a float to TF32 (10 explicit mantissa bits), to nearest with ties away from zero, as
// cvt.rna.tf32.f32 does: 1024.5 becomes 1025. Products of two TF32 values are exact in FP32, so
// rounding the operands and then accumulating in FP32 reproduces tensor-core TF32 numerics.
__device__ __forceinline__ float round_tf32(float x) {
  uint32_t bits = __float_as_uint(x);
  if ((bits & 0x7f800000u) == 0x7f800000u) return x;  // Inf and NaN pass through
  bits = (bits + 0x1000u) & 0xffffe000u;
  return __uint_as_float(bits);
}

constexpr int TILE_M = 64;
constexpr int TILE_N = 64;
constexpr int TILE_K = 16;
constexpr int GEMM_THREADS = 256;  // 16 x 16 threads, 4 x 4 outputs each

// C = alpha * op(A) * op(B) + beta * C on row-major storage. op(A) is m x k, op(B) is k x n.
// A stored as m x k (lda >= k) or, when transA, as k x m (lda >= m); likewise B.
// With lower_only set, only elements j <= i are written (the Gram kernel; a mirror follows).
// Each thread owns rows ty + 16 r and columns tx + 16 c of the 64 x 64 tile, so a warp's shared
// memory reads of B are consecutive and its writes of C are coalesced.
template <typename T, bool TF32>
__device__ void gemm_tiled(int m, int n, int k, T alpha, const T* __restrict__ a, long long lda,
                           int trans_a, const T* __restrict__ b, long long ldb, int trans_b, T beta,
                           T* __restrict__ c, long long ldc, int lower_only) {
  __shared__ T tile_a[TILE_K][TILE_M + 1];
  __shared__ T tile_b[TILE_K][TILE_N + 1];
  int row0 = blockIdx.y * TILE_M;
  int col0 = blockIdx.x * TILE_N;
  if (lower_only && col0 > row0 + TILE_M - 1) return;
  int tid = threadIdx.x;
  int tx = tid % 16;
  int ty = tid / 16;

  T acc[4][4];
#pragma unroll
  for (int r = 0; r < 4; ++r)
#pragma unroll
    for (int q = 0; q < 4; ++q) acc[r][q] = (T)0;

  for (int k0 = 0; k0 < k; k0 += TILE_K) {
    // Each thread stages 4 elements of each operand; the index split follows the storage order
    // so that consecutive threads read consecutive addresses.
#pragma unroll
    for (int r = 0; r < 4; ++r) {
      int idx = tid + r * GEMM_THREADS;
      int i, kk;
      if (!trans_a) {
        kk = idx % TILE_K;
        i = idx / TILE_K;
      } else {
        i = idx % TILE_M;
        kk = idx / TILE_M;
      }
      int gi = row0 + i;
      int gk = k0 + kk;
      T v = (T)0;
      if (gi < m && gk < k) v = trans_a ? a[(long long)gk * lda + gi] : a[(long long)gi * lda + gk];
      if (TF32) v = (T)round_tf32((float)v);
      tile_a[kk][i] = v;

      int j;
      if (!trans_b) {
        j = idx % TILE_N;
        kk = idx / TILE_N;
      } else {
        kk = idx % TILE_K;
        j = idx / TILE_K;
      }
      int gj = col0 + j;
      gk = k0 + kk;
      T w = (T)0;
      if (gj < n && gk < k) w = trans_b ? b[(long long)gj * ldb + gk] : b[(long long)gk * ldb + gj];
      if (TF32) w = (T)round_tf32((float)w);
      tile_b[kk][j] = w;
    }
    __syncthreads();

#pragma unroll
    for (int kk = 0; kk < TILE_K; ++kk) {
      T av[4];
      T bv[4];
#pragma unroll
      for (int r = 0; r < 4; ++r) av[r] = tile_a[kk][ty + 16 * r];
#pragma unroll
      for (int q = 0; q < 4; ++q) bv[q] = tile_b[kk][tx + 16 * q];
#pragma unroll
      for (int r = 0; r < 4; ++r)
#pragma unroll
        for (int q = 0; q < 4; ++q) acc[r][q] = fma(av[r], bv[q], acc[r][q]);
    }
    __syncthreads();
  }

#pragma unroll
  for (int r = 0; r < 4; ++r) {
    int gi = row0 + ty + 16 * r;
#pragma unroll
    for (int q = 0; q < 4; ++q) {
      int gj = col0 + tx + 16 * q;
      if (gi < m && gj < n && (!lower_only || gj <= gi)) {
        long long at = (long long)gi * ldc + gj;
        T v = alpha * acc[r][q];
        c[at] = beta == (T)0 ? v : v + beta * c[at];
      }
    }
  }
}

// Independent FMA chains in registers, for the card's measured arithmetic peak: each thread does
// 8 chains x iterations FMAs (2 flops each). The sink write keeps the compiler from removing them.
template <typename T>
__device__ void peak_fma(int iterations, T* sink) {
  T x[8];
#pragma unroll
  for (int q = 0; q < 8; ++q) x[q] = (T)(threadIdx.x + q) * (T)1e-3;
  T y = (T)0.999999;
  T z = (T)1e-7;
  for (int it = 0; it < iterations; ++it) {
#pragma unroll
    for (int q = 0; q < 8; ++q) x[q] = fma(x[q], y, z);
  }
  T s = (T)0;
#pragma unroll
  for (int q = 0; q < 8; ++q) s += x[q];
  if (s == (T)-1) sink[0] = s;  // never true for these inputs, but the compiler cannot know
}

}  // namespace

// ---- entry points (names listed in org.ntkengine.cuda.Kernels)

#define NTK_BOTH(NAME, SIGNATURE_F, CALL_F, SIGNATURE_D, CALL_D) \
  NTK_EXTERN void NAME##_f32 SIGNATURE_F { CALL_F; }            \
  NTK_EXTERN void NAME##_f64 SIGNATURE_D { CALL_D; }

NTK_BOTH(ntk_fill, (long long n, float value, float* x), fill(n, value, x),
         (long long n, double value, double* x), fill(n, value, x))

NTK_BOTH(ntk_scale, (long long n, float beta, float* x), scale(n, beta, x),
         (long long n, double beta, double* x), scale(n, beta, x))

NTK_BOTH(ntk_hadamard,
         (long long n, float s, const float* x, const float* y, float beta, float* c),
         hadamard(n, s, x, y, beta, c),
         (long long n, double s, const double* x, const double* y, double beta, double* c),
         hadamard(n, s, x, y, beta, c))

NTK_BOTH(ntk_map, (long long n, int op, const float* x, float* out), map(n, op, x, out),
         (long long n, int op, const double* x, double* out), map(n, op, x, out))

NTK_BOTH(ntk_axpby, (long long n, float alpha, const float* x, float beta, float* y),
         axpby(n, alpha, x, beta, y),
         (long long n, double alpha, const double* x, double beta, double* y),
         axpby(n, alpha, x, beta, y))

NTK_BOTH(ntk_add_row_vector, (long long rows, long long cols, float s, const float* v, float* c),
         add_row_vector(rows, cols, s, v, c),
         (long long rows, long long cols, double s, const double* v, double* c),
         add_row_vector(rows, cols, s, v, c))

NTK_BOTH(ntk_column_sums,
         (long long rows, long long cols, double s, const float* a, double beta, float* out),
         column_sums(rows, cols, s, a, beta, out),
         (long long rows, long long cols, double s, const double* a, double beta, double* out),
         column_sums(rows, cols, s, a, beta, out))

NTK_BOTH(ntk_dot_partial, (long long n, const float* x, const float* y, double* partials),
         dot_partial(n, x, y, partials),
         (long long n, const double* x, const double* y, double* partials),
         dot_partial(n, x, y, partials))

NTK_BOTH(ntk_mirror_lower, (int n, float* c, long long ldc), mirror_lower(n, c, ldc),
         (int n, double* c, long long ldc), mirror_lower(n, c, ldc))

NTK_BOTH(ntk_structured_accumulate,
         (int n, float s2, const float* gd, const float* ga, float beta, float* theta),
         structured_accumulate(n, s2, gd, ga, beta, theta),
         (int n, double s2, const double* gd, const double* ga, double beta, double* theta),
         structured_accumulate(n, s2, gd, ga, beta, theta))

NTK_BOTH(ntk_gemm,
         (int m, int n, int k, float alpha, const float* a, long long lda, int trans_a,
          const float* b, long long ldb, int trans_b, float beta, float* c, long long ldc,
          int lower_only),
         (gemm_tiled<float, false>(m, n, k, alpha, a, lda, trans_a, b, ldb, trans_b, beta, c, ldc,
                                   lower_only)),
         (int m, int n, int k, double alpha, const double* a, long long lda, int trans_a,
          const double* b, long long ldb, int trans_b, double beta, double* c, long long ldc,
          int lower_only),
         (gemm_tiled<double, false>(m, n, k, alpha, a, lda, trans_a, b, ldb, trans_b, beta, c, ldc,
                                    lower_only)))

NTK_EXTERN void ntk_gemm_tf32(int m, int n, int k, float alpha, const float* a, long long lda,
                              int trans_a, const float* b, long long ldb, int trans_b, float beta,
                              float* c, long long ldc, int lower_only) {
  gemm_tiled<float, true>(m, n, k, alpha, a, lda, trans_a, b, ldb, trans_b, beta, c, ldc,
                          lower_only);
}

NTK_BOTH(ntk_peak_fma, (int iterations, float* sink), peak_fma(iterations, sink),
         (int iterations, double* sink), peak_fma(iterations, sink))
