{
  "targets": [
    {
      "target_name": "bert_native",
      "sources": [
        "src/engine/native/addon.c",
        "src/engine/native/pool.c",
        "src/engine/native/gemm.c",
        "src/engine/native/gemm_avx512.c",
        "src/engine/native/gemm_avx2.c",
        "src/engine/native/matmul.c",
        "src/engine/native/elementwise.c",
        "src/engine/native/activation.c",
        "src/engine/native/layernorm.c",
        "src/engine/native/embeddings.c",
        "src/engine/native/softmax.c",
        "src/engine/native/attention.c",
        "src/engine/native/blas.c"
      ],
      "cflags_c": ["-std=gnu11", "-O3", "-fno-math-errno", "-Wall", "-Wextra"],
      "cflags!": ["-O2"],
      "libraries": ["-lpthread", "-lm", "-ldl"]
    }
  ]
}
