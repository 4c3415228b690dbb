;; SIMD kernel of one shard: the "four Russians" subset-sum tables of bitKernel.ts, vectorised
;; ACROSS NEURONS. A block of 16 neurons is 4 quads of f32x4 lanes; lane l of quad q is neuron
;; 4q + l of the block. A table entry holds the 16 neurons' values side by side (64 bytes), so a
;; lookup whose index depends only on the row (forward) or only on the coordinate (backward) is
;; four plain v128 loads, never a gather. Every lane runs the same fixed sequence of IEEE
;; operations, so a neuron's results do not depend on which neurons share its block's lanes, on the
;; shard, or on how many shards there are.
;;
;; Layouts (byte addresses in this instance's own memory; the host computes them):
;;   items: 16 f32 per item, 64 bytes apart: weights of coordinate k of a block, or the
;;          coefficients c_i of sample i of a block;
;;   tables: per group g of 4 items, 16 entries of 64 bytes: tab + g·1024 + p·64 + q·16, so the
;;          8 groups of one 32-bit word span 8192 bytes (8-bit tables: groups of 8 items, 256
;;          entries, tab + g·16384 + p·64 + q·16, 65536 bytes per word);
;;   bits: forward reads packed rows (32 coordinates per i32, bit k ⇔ x_k > 0, `words` per row);
;;         backward reads packed columns (32 samples per i32, `d` columns per sample word).
;; Address 0 holds 64 zero bytes (the "no bias" item; zOut = 0 means "do not store z").
(module
  (import "env" "memory" (memory 1))

  ;; Signed subset-sum tables of groups [0, groups): entry p of group g is
  ;;   bias + Σ_{t<4} (bit t of p ? v_t : −v_t),   v_t = item 4g + t of src,
  ;; built by doubling as in bitKernel.ts (T[p + 2^t] = T[p] + 2·v_t). Only group 0 gets `bias`,
  ;; and its item 2 is multiplied by `scale` (the spurious coordinate x2 = ±spuriousScale).
  (func (export "buildTables4") (param $src i32) (param $tab i32) (param $groups i32) (param $bias i32) (param $scale f32)
    (local $g i32) (local $q i32) (local $s i32) (local $t i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128) (local $b v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $t4 v128) (local $t5 v128) (local $t6 v128) (local $t7 v128)
    (if (i32.eqz (local.get $groups)) (then (return)))
    (loop $group
      (local.set $q (i32.const 0))
      (loop $quad
        (local.set $s (i32.add (i32.add (local.get $src) (i32.shl (local.get $g) (i32.const 8))) (i32.shl (local.get $q) (i32.const 4))))
        (local.set $t (i32.add (i32.add (local.get $tab) (i32.shl (local.get $g) (i32.const 10))) (i32.shl (local.get $q) (i32.const 4))))
        (local.set $w0 (v128.load offset=0 (local.get $s)))
        (local.set $w1 (v128.load offset=64 (local.get $s)))
        (local.set $w2 (v128.load offset=128 (local.get $s)))
        (local.set $w3 (v128.load offset=192 (local.get $s)))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (if (i32.eqz (local.get $g))
          (then
            (local.set $b (v128.load (i32.add (local.get $bias) (i32.shl (local.get $q) (i32.const 4)))))
            (local.set $w2 (f32x4.mul (local.get $w2) (f32x4.splat (local.get $scale))))))
        (local.set $t0 (f32x4.sub (f32x4.sub (f32x4.sub (f32x4.sub (local.get $b) (local.get $w0)) (local.get $w1)) (local.get $w2)) (local.get $w3)))
        (local.set $w0 (f32x4.add (local.get $w0) (local.get $w0)))
        (local.set $w1 (f32x4.add (local.get $w1) (local.get $w1)))
        (local.set $w2 (f32x4.add (local.get $w2) (local.get $w2)))
        (local.set $w3 (f32x4.add (local.get $w3) (local.get $w3)))
        (local.set $t1 (f32x4.add (local.get $t0) (local.get $w0)))
        (local.set $t2 (f32x4.add (local.get $t0) (local.get $w1)))
        (local.set $t3 (f32x4.add (local.get $t1) (local.get $w1)))
        (local.set $t4 (f32x4.add (local.get $t0) (local.get $w2)))
        (local.set $t5 (f32x4.add (local.get $t1) (local.get $w2)))
        (local.set $t6 (f32x4.add (local.get $t2) (local.get $w2)))
        (local.set $t7 (f32x4.add (local.get $t3) (local.get $w2)))
        (v128.store offset=0 (local.get $t) (local.get $t0))
        (v128.store offset=64 (local.get $t) (local.get $t1))
        (v128.store offset=128 (local.get $t) (local.get $t2))
        (v128.store offset=192 (local.get $t) (local.get $t3))
        (v128.store offset=256 (local.get $t) (local.get $t4))
        (v128.store offset=320 (local.get $t) (local.get $t5))
        (v128.store offset=384 (local.get $t) (local.get $t6))
        (v128.store offset=448 (local.get $t) (local.get $t7))
        (v128.store offset=512 (local.get $t) (f32x4.add (local.get $t0) (local.get $w3)))
        (v128.store offset=576 (local.get $t) (f32x4.add (local.get $t1) (local.get $w3)))
        (v128.store offset=640 (local.get $t) (f32x4.add (local.get $t2) (local.get $w3)))
        (v128.store offset=704 (local.get $t) (f32x4.add (local.get $t3) (local.get $w3)))
        (v128.store offset=768 (local.get $t) (f32x4.add (local.get $t4) (local.get $w3)))
        (v128.store offset=832 (local.get $t) (f32x4.add (local.get $t5) (local.get $w3)))
        (v128.store offset=896 (local.get $t) (f32x4.add (local.get $t6) (local.get $w3)))
        (v128.store offset=960 (local.get $t) (f32x4.add (local.get $t7) (local.get $w3)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $quad (i32.lt_u (local.get $q) (i32.const 4))))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br_if $group (i32.lt_u (local.get $g) (local.get $groups)))))

  ;; 8-bit tables (long forward passes, the test set, the SGD update of long rows): entry p of group g is
  ;;   bias + Σ_(t<8) (bit t of p ? v_t : −v_t),   v_t = item 8g + t of src,
  ;; at tab + g·16384 + p·64 + q·16, by doubling in the order of bitKernel.ts; group 0 gets `bias`
  ;; and its item 2 times `scale`.
  (func $buildTables8 (export "buildTables8") (param $src i32) (param $tab i32) (param $groups i32) (param $bias i32) (param $scale f32)
    (local $x i32) (local $g i32) (local $q i32) (local $s i32) (local $t i32) (local $e i32) (local $end i32) (local $dist i32)
    (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $w4 v128) (local $w5 v128) (local $w6 v128) (local $w7 v128) (local $b v128)
    (local $d0 v128) (local $d1 v128) (local $d2 v128) (local $d3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local $t4 v128) (local $t5 v128) (local $t6 v128) (local $t7 v128)
    (if (i32.eqz (local.get $groups)) (then (return)))
    (loop $group
      (local.set $q (i32.const 0))
      (loop $quad
        (local.set $s (i32.add (i32.add (local.get $src) (i32.shl (local.get $g) (i32.const 9))) (i32.shl (local.get $q) (i32.const 4))))
        (local.set $t (i32.add (i32.add (local.get $tab) (i32.shl (local.get $g) (i32.const 14))) (i32.shl (local.get $q) (i32.const 4))))
        (local.set $w0 (v128.load offset=0 (local.get $s)))
        (local.set $w1 (v128.load offset=64 (local.get $s)))
        (local.set $w2 (v128.load offset=128 (local.get $s)))
        (local.set $w3 (v128.load offset=192 (local.get $s)))
        (local.set $w4 (v128.load offset=256 (local.get $s)))
        (local.set $w5 (v128.load offset=320 (local.get $s)))
        (local.set $w6 (v128.load offset=384 (local.get $s)))
        (local.set $w7 (v128.load offset=448 (local.get $s)))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (if (i32.eqz (local.get $g))
          (then
            (local.set $b (v128.load (i32.add (local.get $bias) (i32.shl (local.get $q) (i32.const 4)))))
            (local.set $w2 (f32x4.mul (local.get $w2) (f32x4.splat (local.get $scale))))))
        (local.set $t0 (f32x4.sub (f32x4.sub (f32x4.sub (f32x4.sub (local.get $b) (local.get $w0)) (local.get $w1)) (local.get $w2)) (local.get $w3)))
        (local.set $t0 (f32x4.sub (f32x4.sub (f32x4.sub (f32x4.sub (local.get $t0) (local.get $w4)) (local.get $w5)) (local.get $w6)) (local.get $w7)))
        (local.set $w0 (f32x4.add (local.get $w0) (local.get $w0)))
        (local.set $w1 (f32x4.add (local.get $w1) (local.get $w1)))
        (local.set $w2 (f32x4.add (local.get $w2) (local.get $w2)))
        (local.set $w3 (f32x4.add (local.get $w3) (local.get $w3)))
        (local.set $t1 (f32x4.add (local.get $t0) (local.get $w0)))
        (local.set $t2 (f32x4.add (local.get $t0) (local.get $w1)))
        (local.set $t3 (f32x4.add (local.get $t1) (local.get $w1)))
        (local.set $t4 (f32x4.add (local.get $t0) (local.get $w2)))
        (local.set $t5 (f32x4.add (local.get $t1) (local.get $w2)))
        (local.set $t6 (f32x4.add (local.get $t2) (local.get $w2)))
        (local.set $t7 (f32x4.add (local.get $t3) (local.get $w2)))
        (v128.store offset=0 (local.get $t) (local.get $t0))
        (v128.store offset=64 (local.get $t) (local.get $t1))
        (v128.store offset=128 (local.get $t) (local.get $t2))
        (v128.store offset=192 (local.get $t) (local.get $t3))
        (v128.store offset=256 (local.get $t) (local.get $t4))
        (v128.store offset=320 (local.get $t) (local.get $t5))
        (v128.store offset=384 (local.get $t) (local.get $t6))
        (v128.store offset=448 (local.get $t) (local.get $t7))
        (v128.store offset=512 (local.get $t) (f32x4.add (local.get $t0) (local.get $w3)))
        (v128.store offset=576 (local.get $t) (f32x4.add (local.get $t1) (local.get $w3)))
        (v128.store offset=640 (local.get $t) (f32x4.add (local.get $t2) (local.get $w3)))
        (v128.store offset=704 (local.get $t) (f32x4.add (local.get $t3) (local.get $w3)))
        (v128.store offset=768 (local.get $t) (f32x4.add (local.get $t4) (local.get $w3)))
        (v128.store offset=832 (local.get $t) (f32x4.add (local.get $t5) (local.get $w3)))
        (v128.store offset=896 (local.get $t) (f32x4.add (local.get $t6) (local.get $w3)))
        (v128.store offset=960 (local.get $t) (f32x4.add (local.get $t7) (local.get $w3)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br_if $quad (i32.lt_u (local.get $q) (i32.const 4))))
      ;; bits 4 … 7: entries [2^t, 2^(t+1)) = entries [0, 2^t) + 2·v_t, the four quads of an entry
      ;; (one cache line) at once, so that each line is written once, in address order
      (local.set $t (i32.add (local.get $tab) (i32.shl (local.get $g) (i32.const 14))))
      (local.set $s (i32.add (local.get $src) (i32.shl (local.get $g) (i32.const 9))))
      (local.set $dist (i32.const 1024))
      (loop $bit
        (local.set $d0 (v128.load offset=0 (i32.add (local.get $s) (i32.const 256))))
        (local.set $d1 (v128.load offset=16 (i32.add (local.get $s) (i32.const 256))))
        (local.set $d2 (v128.load offset=32 (i32.add (local.get $s) (i32.const 256))))
        (local.set $d3 (v128.load offset=48 (i32.add (local.get $s) (i32.const 256))))
        (local.set $d0 (f32x4.add (local.get $d0) (local.get $d0)))
        (local.set $d1 (f32x4.add (local.get $d1) (local.get $d1)))
        (local.set $d2 (f32x4.add (local.get $d2) (local.get $d2)))
        (local.set $d3 (f32x4.add (local.get $d3) (local.get $d3)))
        (local.set $e (local.get $t))
        (local.set $end (i32.add (local.get $t) (local.get $dist)))
        (loop $entry
          (local.set $x (i32.add (local.get $e) (local.get $dist)))
          (v128.store offset=0 (local.get $x) (f32x4.add (v128.load offset=0 (local.get $e)) (local.get $d0)))
          (v128.store offset=16 (local.get $x) (f32x4.add (v128.load offset=16 (local.get $e)) (local.get $d1)))
          (v128.store offset=32 (local.get $x) (f32x4.add (v128.load offset=32 (local.get $e)) (local.get $d2)))
          (v128.store offset=48 (local.get $x) (f32x4.add (v128.load offset=48 (local.get $e)) (local.get $d3)))
          (v128.store offset=64 (local.get $x) (f32x4.add (v128.load offset=64 (local.get $e)) (local.get $d0)))
          (v128.store offset=80 (local.get $x) (f32x4.add (v128.load offset=80 (local.get $e)) (local.get $d1)))
          (v128.store offset=96 (local.get $x) (f32x4.add (v128.load offset=96 (local.get $e)) (local.get $d2)))
          (v128.store offset=112 (local.get $x) (f32x4.add (v128.load offset=112 (local.get $e)) (local.get $d3)))
          (local.set $e (i32.add (local.get $e) (i32.const 128)))
          (br_if $entry (i32.lt_u (local.get $e) (local.get $end))))
        (local.set $s (i32.add (local.get $s) (i32.const 64)))
        (local.set $dist (i32.shl (local.get $dist) (i32.const 1)))
        (br_if $bit (i32.le_u (local.get $dist) (i32.const 8192))))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br_if $group (i32.lt_u (local.get $g) (local.get $groups)))))

  ;; The 4-bit table offsets of nRows packed rows of `words` words (forwardBlock4 reads them, not the
  ;; bits), chunk by chunk of `chunk` ≤ 8 words: word w = c·chunk + v of row r gives 8 u16 at
  ;;   out + 16·(c·chunk·nRows + r·C + v)   (C: the words of chunk c, `chunk` but for the last),
  ;; the k-th tab + v·8192 + k·1024 + (nibble k of the word)·64, the address of its entry in the tables
  ;; of its chunk at tab (buildTables4's layout, 8192 bytes a word; tab + chunk·8192 ≤ 65536, so
  ;; that it fits a u16 and forwardBlock4 adds nothing to it). A chunk's offsets are contiguous, so a
  ;; pass over one chunk reads them in order (row by row at 16·words bytes apart, they would all fall
  ;; in one set of the L1 cache from words = 256 on). Computed once per pass, not once per block.
  (func (export "nibbleOffsets") (param $rows i32) (param $nRows i32) (param $words i32) (param $chunk i32) (param $tab i32) (param $out i32)
    (local $w0 i32) (local $cw i32) (local $r i32) (local $v i32) (local $x i32) (local $base i32) (local $rp i32)
    (if (i32.or (i32.eqz (local.get $nRows)) (i32.eqz (local.get $words))) (then (return)))
    (loop $chunk
      (local.set $cw (select (local.get $chunk) (i32.sub (local.get $words) (local.get $w0))
        (i32.le_u (i32.add (local.get $w0) (local.get $chunk)) (local.get $words))))
      (local.set $r (i32.const 0))
      (loop $row
        (local.set $rp (i32.add (local.get $rows) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $words)) (local.get $w0)) (i32.const 2))))
        (local.set $v (i32.const 0))
        (loop $word
          (local.set $x (i32.load (local.get $rp)))
          (local.set $base (i32.add (local.get $tab) (i32.shl (local.get $v) (i32.const 13))))
          (i32.store16 offset=0 (local.get $out) (i32.add (local.get $base) (i32.add (i32.const 0) (i32.and (i32.shl (local.get $x) (i32.const 6)) (i32.const 960)))))
          (i32.store16 offset=2 (local.get $out) (i32.add (local.get $base) (i32.add (i32.const 1024) (i32.and (i32.shl (local.get $x) (i32.const 2)) (i32.const 960)))))
          (i32.store16 offset=4 (local.get $out) (i32.add (local.get $base) (i32.add (i32.const 2048) (i32.and (i32.shr_u (local.get $x) (i32.const 2)) (i32.const 960)))))
          (i32.store16 offset=6 (local.get $out) (i32.add (local.get $base) (i32.add (i32.const 3072) (i32.and (i32.shr_u (local.get $x) (i32.const 6)) (i32.const 960)))))
          (i32.store16 offset=8 (local.get $out) (i32.add (local.get $base) (i32.add (i32.const 4096) (i32.and (i32.shr_u (local.get $x) (i32.const 10)) (i32.const 960)))))
          (i32.store16 offset=10 (local.get $out) (i32.add (local.get $base) (i32.add (i32.const 5120) (i32.and (i32.shr_u (local.get $x) (i32.const 14)) (i32.const 960)))))
          (i32.store16 offset=12 (local.get $out) (i32.add (local.get $base) (i32.add (i32.const 6144) (i32.and (i32.shr_u (local.get $x) (i32.const 18)) (i32.const 960)))))
          (i32.store16 offset=14 (local.get $out) (i32.add (local.get $base) (i32.add (i32.const 7168) (i32.and (i32.shr_u (local.get $x) (i32.const 22)) (i32.const 960)))))
          (local.set $out (i32.add (local.get $out) (i32.const 16)))
          (local.set $rp (i32.add (local.get $rp) (i32.const 4)))
          (local.set $v (i32.add (local.get $v) (i32.const 1)))
          (br_if $word (i32.lt_u (local.get $v) (local.get $cw))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br_if $row (i32.lt_u (local.get $r) (local.get $nRows))))
      (local.set $w0 (i32.add (local.get $w0) (local.get $cw)))
      (br_if $chunk (i32.lt_u (local.get $w0) (local.get $words)))))

  ;; Forward pass of one block over rows [0, nRows) with the 4-bit tables of buildTables4, over one
  ;; chunk of `words` words of each row (nib: the chunk's offsets in nibbleOffsets' layout, row i's
  ;; at nib + 16·rowWords·i). A long row's tables outgrow the L1 cache, so the
  ;; host goes over the rows in chunks of words, building the tables of one chunk at a time: `resume`
  ;; ≠ 0 starts each row's sums from its z at zOut (left by the chunks before), so a row still sums
  ;; its groups in ascending order.
  ;;   z_i = Σ_words Σ_groups T[bits of row i in the group]   (16 lanes, f32; the bias and the
  ;;   spurious scale are in group 0's tables), stored at zOut + 64·i (partialOutputs takes it there).
  ;; Two groups per iteration: unrolling further (or two rows at a time) makes TurboFan hoist the
  ;; loads and spill them.
  (func (export "forwardBlock4") (param $nib i32) (param $nRows i32) (param $rowWords i32) (param $words i32)
    (param $zOut i32) (param $resume i32)
    (local $np i32) (local $rowStart i32) (local $rowEnd i32) (local $p i32) (local $i i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (if (i32.eqz (local.get $nRows)) (then (return)))
    (local.set $rowStart (local.get $nib))
    (loop $row
      (if (local.get $resume)
        (then
          (local.set $a0 (v128.load offset=0 (local.get $zOut)))
          (local.set $a1 (v128.load offset=16 (local.get $zOut)))
          (local.set $a2 (v128.load offset=32 (local.get $zOut)))
          (local.set $a3 (v128.load offset=48 (local.get $zOut))))
        (else
          (local.set $a0 (v128.const i32x4 0 0 0 0))
          (local.set $a1 (v128.const i32x4 0 0 0 0))
          (local.set $a2 (v128.const i32x4 0 0 0 0))
          (local.set $a3 (v128.const i32x4 0 0 0 0))))
      (local.set $np (local.get $rowStart))
      (local.set $rowEnd (i32.add (local.get $np) (i32.shl (local.get $words) (i32.const 4))))
      (loop $pair
        (local.set $p (i32.load16_u offset=0 (local.get $np)))
        (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $p))))
        (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $p))))
        (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $p))))
        (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $p))))
        (local.set $p (i32.load16_u offset=2 (local.get $np)))
        (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $p))))
        (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $p))))
        (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $p))))
        (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $p))))
        (local.set $np (i32.add (local.get $np) (i32.const 4)))
        (br_if $pair (i32.lt_u (local.get $np) (local.get $rowEnd))))
      (v128.store offset=0 (local.get $zOut) (local.get $a0))
      (v128.store offset=16 (local.get $zOut) (local.get $a1))
      (v128.store offset=32 (local.get $zOut) (local.get $a2))
      (v128.store offset=48 (local.get $zOut) (local.get $a3))
      (local.set $zOut (i32.add (local.get $zOut) (i32.const 64)))
      (local.set $rowStart (i32.add (local.get $rowStart) (i32.shl (local.get $rowWords) (i32.const 4))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $row (i32.lt_u (local.get $i) (local.get $nRows)))))

  ;; Forward pass of one block over rows [0, nRows) with the 8-bit tables of buildTables8:
  ;; z_i = Σ_words Σ_groups T[bits of row i in the group], groups in ascending order (16 lanes,
  ;; f32; the bias and the spurious scale are in the tables), stored at zOut + 64·i (partialOutputs
  ;; takes it from there). The inner loop does 2 groups per iteration: unrolling further makes
  ;; TurboFan hoist the loads and spill them.
  (func (export "forwardBlock8") (param $rows i32) (param $nRows i32) (param $words i32) (param $tab i32) (param $zOut i32)
    (local $rp i32) (local $rowEnd i32) (local $tp i32) (local $x i32) (local $p i32) (local $n i32) (local $zEnd i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (if (i32.eqz (local.get $nRows)) (then (return)))
    (local.set $rp (local.get $rows))
    (local.set $zEnd (i32.add (local.get $zOut) (i32.shl (local.get $nRows) (i32.const 6))))
    (loop $row
      (local.set $a0 (v128.const i32x4 0 0 0 0))
      (local.set $a1 (v128.const i32x4 0 0 0 0))
      (local.set $a2 (v128.const i32x4 0 0 0 0))
      (local.set $a3 (v128.const i32x4 0 0 0 0))
      (local.set $rowEnd (i32.add (local.get $rp) (i32.shl (local.get $words) (i32.const 2))))
      (local.set $tp (local.get $tab))
      (loop $word
        (local.set $x (i32.load (local.get $rp)))
        (local.set $n (i32.const 2))
        (loop $group
          (local.set $p (i32.add (local.get $tp) (i32.and (i32.shl (local.get $x) (i32.const 6)) (i32.const 16320))))
          (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $p))))
          (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $p))))
          (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $p))))
          (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $p))))
          (local.set $p (i32.add (local.get $tp) (i32.and (i32.shr_u (local.get $x) (i32.const 2)) (i32.const 16320))))
          (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=16384 (local.get $p))))
          (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16400 (local.get $p))))
          (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=16416 (local.get $p))))
          (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=16432 (local.get $p))))
          (local.set $x (i32.shr_u (local.get $x) (i32.const 16)))
          (local.set $tp (i32.add (local.get $tp) (i32.const 32768)))
          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
          (br_if $group (local.get $n)))
        (local.set $rp (i32.add (local.get $rp) (i32.const 4)))
        (br_if $word (i32.lt_u (local.get $rp) (local.get $rowEnd))))
      (v128.store offset=0 (local.get $zOut) (local.get $a0))
      (v128.store offset=16 (local.get $zOut) (local.get $a1))
      (v128.store offset=32 (local.get $zOut) (local.get $a2))
      (v128.store offset=48 (local.get $zOut) (local.get $a3))
      (local.set $zOut (i32.add (local.get $zOut) (i32.const 64)))
      (br_if $row (i32.lt_u (local.get $zOut) (local.get $zEnd)))))

  ;; The test set's noise, summed once per four rows. Its four groups share their sample k
  ;; (kernel/sampler.ts): rows k, n + k, 2n + k, 3n + k (siblings) differ only in coordinates 1 and
  ;; 2, which are in table group 0 (coordinates 0 … 7) alone, so for rows k < nK (sibling 0)
  ;;   S_k = Σ_(8-bit table groups g ≥ 1, ascending) T_g[byte g of row k]   (16 lanes, f32)
  ;; and forwardSiblings adds each sibling's group 0. This call adds the groups of one word of the
  ;; rows (buildTables8's tables of that word at tab) into S_k at sums + 64·k: word 0's groups 1 … 3
  ;; start the sums (g0 = 1), word w's groups 4w … 4w + 3 add to them (g0 = 4w). It goes over the
  ;; rows once per word with S_k in memory, so the word's tables stay in cache and different rows'
  ;; adds overlap (a row's whole sum in registers would wait on each add).
  (func $sumNoise (param $rows i32) (param $nK i32) (param $rowWords i32) (param $word i32)
    (param $tab i32) (param $sums i32)
    (local $rp i32) (local $rpEnd i32) (local $sp i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $stride i32) (local $x i32)
    (if (i32.eqz (local.get $nK)) (then (return)))
    (local.set $stride (i32.shl (local.get $rowWords) (i32.const 2)))
    (local.set $rp (i32.add (local.get $rows) (i32.shl (local.get $word) (i32.const 2))))
    (local.set $rpEnd (i32.add (local.get $rp) (i32.mul (local.get $nK) (local.get $stride))))
    (local.set $sp (local.get $sums))
    (if (i32.eqz (local.get $word))
      (then
        ;; S_k = (T_1[·] + T_2[·]) + T_3[·]
        (loop $startRow
          (local.set $x (i32.load (local.get $rp)))
          (local.set $p1 (i32.add (local.get $tab) (i32.and (i32.shr_u (local.get $x) (i32.const 2)) (i32.const 16320))))
          (local.set $p2 (i32.add (local.get $tab) (i32.and (i32.shr_u (local.get $x) (i32.const 10)) (i32.const 16320))))
          (local.set $p3 (i32.add (local.get $tab) (i32.and (i32.shr_u (local.get $x) (i32.const 18)) (i32.const 16320))))
          (v128.store offset=0 (local.get $sp) (f32x4.add (f32x4.add (v128.load offset=16384 (local.get $p1)) (v128.load offset=32768 (local.get $p2))) (v128.load offset=49152 (local.get $p3))))
          (v128.store offset=16 (local.get $sp) (f32x4.add (f32x4.add (v128.load offset=16400 (local.get $p1)) (v128.load offset=32784 (local.get $p2))) (v128.load offset=49168 (local.get $p3))))
          (v128.store offset=32 (local.get $sp) (f32x4.add (f32x4.add (v128.load offset=16416 (local.get $p1)) (v128.load offset=32800 (local.get $p2))) (v128.load offset=49184 (local.get $p3))))
          (v128.store offset=48 (local.get $sp) (f32x4.add (f32x4.add (v128.load offset=16432 (local.get $p1)) (v128.load offset=32816 (local.get $p2))) (v128.load offset=49200 (local.get $p3))))
          (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
          (local.set $rp (i32.add (local.get $rp) (local.get $stride)))
          (br_if $startRow (i32.lt_u (local.get $rp) (local.get $rpEnd)))))
      (else
        ;; S_k = (((S_k + T_4w[·]) + T_4w+1[·]) + T_4w+2[·]) + T_4w+3[·]
        (loop $row
          (local.set $x (i32.load (local.get $rp)))
          (local.set $p0 (i32.add (local.get $tab) (i32.and (i32.shl (local.get $x) (i32.const 6)) (i32.const 16320))))
          (local.set $p1 (i32.add (local.get $tab) (i32.and (i32.shr_u (local.get $x) (i32.const 2)) (i32.const 16320))))
          (local.set $p2 (i32.add (local.get $tab) (i32.and (i32.shr_u (local.get $x) (i32.const 10)) (i32.const 16320))))
          (local.set $p3 (i32.add (local.get $tab) (i32.and (i32.shr_u (local.get $x) (i32.const 18)) (i32.const 16320))))
          (v128.store offset=0 (local.get $sp) (f32x4.add (f32x4.add (f32x4.add (f32x4.add (v128.load offset=0 (local.get $sp)) (v128.load offset=0 (local.get $p0))) (v128.load offset=16384 (local.get $p1))) (v128.load offset=32768 (local.get $p2))) (v128.load offset=49152 (local.get $p3))))
          (v128.store offset=16 (local.get $sp) (f32x4.add (f32x4.add (f32x4.add (f32x4.add (v128.load offset=16 (local.get $sp)) (v128.load offset=16 (local.get $p0))) (v128.load offset=16400 (local.get $p1))) (v128.load offset=32784 (local.get $p2))) (v128.load offset=49168 (local.get $p3))))
          (v128.store offset=32 (local.get $sp) (f32x4.add (f32x4.add (f32x4.add (f32x4.add (v128.load offset=32 (local.get $sp)) (v128.load offset=32 (local.get $p0))) (v128.load offset=16416 (local.get $p1))) (v128.load offset=32800 (local.get $p2))) (v128.load offset=49184 (local.get $p3))))
          (v128.store offset=48 (local.get $sp) (f32x4.add (f32x4.add (f32x4.add (f32x4.add (v128.load offset=48 (local.get $sp)) (v128.load offset=48 (local.get $p0))) (v128.load offset=16432 (local.get $p1))) (v128.load offset=32816 (local.get $p2))) (v128.load offset=49200 (local.get $p3))))
          (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
          (local.set $rp (i32.add (local.get $rp) (local.get $stride)))
          (br_if $row (i32.lt_u (local.get $rp) (local.get $rpEnd)))))))

  ;; The noise sums S_k of one block's test rows k < nK (sumNoise), word by word, each word's
  ;; 8-bit tables built just before (buildTables8 of the block's weights at wt): word 0's at tab (its
  ;; group 0 has the bias and the spurious scale, and forwardSiblings reads it afterwards), each
  ;; other word's at tab + 65536 in turn (64 KiB, in the L2 cache while sumNoise reads them). The
  ;; rows are laid out word-major at rows (SimdInstance.layOutRows): word 0 of the nRows rows, then
  ;; word w of rows 0 … nK−1 at rows + 4·(nRows + (w − 1)·nK), read by sumNoise as row k's word w
  ;; at (that column − 4·w) + 4·w + 4·k.
  (func (export "noiseSums") (param $wt i32) (param $tab i32) (param $bias i32) (param $scale f32)
    (param $rows i32) (param $nRows i32) (param $nK i32) (param $words i32) (param $sums i32)
    (local $w i32) (local $column i32)
    (call $buildTables8 (local.get $wt) (local.get $tab) (i32.const 4) (local.get $bias) (local.get $scale))
    (call $sumNoise (local.get $rows) (local.get $nK) (i32.const 1) (i32.const 0) (local.get $tab) (local.get $sums))
    (local.set $w (i32.const 1))
    (local.set $column (i32.add (local.get $rows) (i32.shl (local.get $nRows) (i32.const 2))))
    (block $done
      (loop $word
        (br_if $done (i32.ge_u (local.get $w) (local.get $words)))
        (call $buildTables8 (i32.add (local.get $wt) (i32.shl (local.get $w) (i32.const 11))) (i32.add (local.get $tab) (i32.const 65536))
          (i32.const 4) (i32.const 0) (f32.const 1))
        (call $sumNoise (i32.sub (local.get $column) (i32.shl (local.get $w) (i32.const 2))) (local.get $nK) (i32.const 1) (local.get $w)
          (i32.add (local.get $tab) (i32.const 65536)) (local.get $sums))
        (local.set $column (i32.add (local.get $column) (i32.shl (local.get $nK) (i32.const 2))))
        (local.set $w (i32.add (local.get $w) (i32.const 1)))
        (br $word))))

  ;; A block's partial outputs of rows [0, nRows) from their z at z + 64·i (forwardBlock4/8), in the
  ;; order of forwardPartials in step.ts:
  ;;   pOut[i] = Σ_(j = 0 … 15, ascending) a_j · σ(z_ij)   in f64,   σ(z) = z > 0 ? z : slope·z
  ;; (a64: the block's 16 output weights as f64; padding lanes have a = 0 and z = 0 and add an
  ;; exact +0): four rows at a time (secondLayerQuad), the rest one by one (partialOutput).
  (func (export "partialOutputs") (param $z i32) (param $nRows i32) (param $a64 i32) (param $slope f64) (param $pOut i32)
    (local $i i32) (local $sl v128) (local $relu i32) (local $pair v128)
    (local.set $sl (f64x2.splat (local.get $slope)))
    (local.set $relu (f64.eq (local.get $slope) (f64.const 0)))
    (block $quads
      (br_if $quads (i32.lt_u (local.get $nRows) (i32.const 4)))
      (loop $quad
        (call $secondLayerQuad (local.get $z) (i32.add (local.get $z) (i32.const 64)) (i32.add (local.get $z) (i32.const 128)) (i32.add (local.get $z) (i32.const 192))
          (local.get $a64) (local.get $sl) (local.get $relu))
        (local.set $pair)
        (f64.store offset=16 (local.get $pOut) (f64x2.extract_lane 0 (local.get $pair)))
        (f64.store offset=24 (local.get $pOut) (f64x2.extract_lane 1 (local.get $pair)))
        (local.set $pair)
        (f64.store offset=0 (local.get $pOut) (f64x2.extract_lane 0 (local.get $pair)))
        (f64.store offset=8 (local.get $pOut) (f64x2.extract_lane 1 (local.get $pair)))
        (local.set $z (i32.add (local.get $z) (i32.const 256)))
        (local.set $pOut (i32.add (local.get $pOut) (i32.const 32)))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br_if $quad (i32.le_u (i32.add (local.get $i) (i32.const 4)) (local.get $nRows)))))
    (block $done
      (br_if $done (i32.ge_u (local.get $i) (local.get $nRows)))
      (loop $row
        (f64.store (local.get $pOut) (call $partialOutput (v128.load offset=0 (local.get $z)) (v128.load offset=16 (local.get $z))
          (v128.load offset=32 (local.get $z)) (v128.load offset=48 (local.get $z)) (local.get $a64) (local.get $sl)))
        (local.set $z (i32.add (local.get $z) (i32.const 64)))
        (local.set $pOut (i32.add (local.get $pOut) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $row (i32.lt_u (local.get $i) (local.get $nRows))))))

  ;; The test set's rows from the noise sums of sumNoise: for k < nK and each sibling g < siblings
  ;; (row r = g·nK + k; siblings = 1: any rows, each with its own sum, such as a subset of the test
  ;; set, whose outputs are then bitwise the set's; otherwise a multiple of 4)
  ;;   z_r = T0[byte 0 of row r] + S_k   (T0: group 0 of buildTables8, with the bias and the spurious scale)
  ;; stored at zOut + 64·r unless zOut = 0, and the block's partial output (partialOutput) at pOut + 8·r,
  ;; four siblings at a time when there are more than one (siblingQuad: bitwise the same sums).
  (func (export "forwardSiblings") (param $rows i32) (param $nK i32) (param $siblings i32) (param $rowWords i32)
    (param $tab0 i32) (param $sums i32) (param $a64 i32) (param $slope f64) (param $zOut i32) (param $pOut i32)
    (local $k i32) (local $g i32) (local $r i32) (local $sp i32) (local $rowStride i32) (local $relu i32)
    (local $z0 v128) (local $z1 v128) (local $z2 v128) (local $z3 v128) (local $sl v128)
    (if (i32.eqz (local.get $nK)) (then (return)))
    (local.set $sl (f64x2.splat (local.get $slope)))
    (local.set $relu (f64.eq (local.get $slope) (f64.const 0)))
    (local.set $rowStride (i32.shl (local.get $rowWords) (i32.const 2)))
    (local.set $sp (local.get $sums))
    (loop $sample
      (if (i32.eq (local.get $siblings) (i32.const 1))
        (then
          (call $siblingZ (local.get $rows) (local.get $k) (local.get $rowStride) (local.get $tab0) (local.get $zOut)
            (v128.load offset=0 (local.get $sp)) (v128.load offset=16 (local.get $sp)) (v128.load offset=32 (local.get $sp)) (v128.load offset=48 (local.get $sp)))
          (local.set $z3) (local.set $z2) (local.set $z1) (local.set $z0)
          (f64.store (i32.add (local.get $pOut) (i32.shl (local.get $k) (i32.const 3)))
            (call $partialOutput (local.get $z0) (local.get $z1) (local.get $z2) (local.get $z3) (local.get $a64) (local.get $sl))))
        (else
          (local.set $g (i32.const 0))
          (local.set $r (local.get $k))
          (loop $sibling
            (call $siblingQuad (local.get $rows) (local.get $r) (local.get $nK) (local.get $rowStride) (local.get $tab0) (local.get $sp)
              (local.get $a64) (local.get $sl) (local.get $relu) (local.get $zOut) (local.get $pOut))
            (local.set $r (i32.add (local.get $r) (i32.shl (local.get $nK) (i32.const 2))))
            (local.set $g (i32.add (local.get $g) (i32.const 4)))
            (br_if $sibling (i32.lt_u (local.get $g) (local.get $siblings))))))
      (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $sample (i32.lt_u (local.get $k) (local.get $nK)))))

  ;; The sibling tables of forwardSiblingsByUnit: the test set's four siblings of a sample k have
  ;; byte 0 (coordinates 0 … 7) b_0 … b_3, and b_0 fixes the other three (the group's coordinates 1
  ;; and 2 follow from x0 and the group, kernel/sampler.ts). For each key b_0 listed at used
  ;; (nUsed i32), whose siblings' entry offsets b_g·64 are the 4 i32 at map + 16·b_0, this writes the
  ;; block's 16 units, unit j's four T0 entries side by side (lane g: T0[b_g], unit j), at
  ;; out + 256·b_0 + 16·j: the group-0 table (buildTables8's, at tab0) transposed 4 × 4 per quad.
  (func (export "siblingTables") (param $tab0 i32) (param $map i32) (param $used i32) (param $nUsed i32) (param $out i32)
    (local $u i32) (local $key i32) (local $mp i32) (local $q i32) (local $dst i32) (local $to i32)
    (local $e0 i32) (local $e1 i32) (local $e2 i32) (local $e3 i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128) (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (if (i32.eqz (local.get $nUsed)) (then (return)))
    (loop $keys
      (local.set $key (i32.load (i32.add (local.get $used) (i32.shl (local.get $u) (i32.const 2)))))
      (local.set $mp (i32.add (local.get $map) (i32.shl (local.get $key) (i32.const 4))))
      (local.set $e0 (i32.add (local.get $tab0) (i32.load offset=0 (local.get $mp))))
      (local.set $e1 (i32.add (local.get $tab0) (i32.load offset=4 (local.get $mp))))
      (local.set $e2 (i32.add (local.get $tab0) (i32.load offset=8 (local.get $mp))))
      (local.set $e3 (i32.add (local.get $tab0) (i32.load offset=12 (local.get $mp))))
      (local.set $dst (i32.add (local.get $out) (i32.shl (local.get $key) (i32.const 8))))
      (local.set $q (i32.const 0))
      (loop $quad
        ;; sibling g's units 4q … 4q + 3 (q in bytes: 0, 16, 32, 48)
        (local.set $r0 (v128.load (i32.add (local.get $e0) (local.get $q))))
        (local.set $r1 (v128.load (i32.add (local.get $e1) (local.get $q))))
        (local.set $r2 (v128.load (i32.add (local.get $e2) (local.get $q))))
        (local.set $r3 (v128.load (i32.add (local.get $e3) (local.get $q))))
        (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
        (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
        (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
        (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
        (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $q) (i32.const 2))))
        (v128.store offset=0 (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
        (v128.store offset=16 (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
        (v128.store offset=32 (local.get $to) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
        (v128.store offset=48 (local.get $to) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
        (local.set $q (i32.add (local.get $q) (i32.const 16)))
        (br_if $quad (i32.lt_u (local.get $q) (i32.const 64))))
      (local.set $u (i32.add (local.get $u) (i32.const 1)))
      (br_if $keys (i32.lt_u (local.get $u) (local.get $nUsed)))))

  ;; forwardSiblings' outputs of four siblings, unit by unit with the siblings in the
  ;; lanes: for sample k < nK and unit j of the block,
  ;;   z_gj = T0[b_g] + S_kj   (f32x4 over g: the sibling table of key b_0 = byte 0 of row k, plus S_kj
  ;;   in all four lanes), then pOut[g·nK + k] = Σ_(j ascending) a_j σ(z_gj) in f64, rows 0–1 and
  ;;   2–3 in two f64x2 chains: the operations and order of siblingQuad and secondLayerQuad, so
  ;;   bitwise their outputs, with a third of their lane shuffles (no 4 × 4 transpose per quad).
  ;; With zOut ≠ 0 it keeps each z (the certified search's reference) by unit: sample k's unit j, its
  ;; four siblings side by side, at zOut + 256·k + 16·j (marginBounds.wat zRangeByUnit and
  ;; secondLayerByUnit read them there); otherwise it writes them to 512 bytes of scratch at zScratch.
  (func (export "forwardSiblingsByUnit") (param $rows i32) (param $nK i32) (param $sibTab i32) (param $sums i32) (param $a64 i32) (param $slope f64)
    (param $zOut i32) (param $zScratch i32) (param $pOut i32)
    (local $k i32) (local $t0 i32) (local $t1 i32) (local $sp0 i32) (local $sp1 i32) (local $j i32) (local $relu i32) (local $sl v128)
    (local $z0 v128) (local $z1 v128) (local $a v128) (local $lo0 v128) (local $hi0 v128) (local $lo1 v128) (local $hi1 v128)
    (local $accLo0 v128) (local $accHi0 v128) (local $accLo1 v128) (local $accHi1 v128) (local $out i32) (local $stride i32) (local $ap i32)
    (local $zp0 i32) (local $zp1 i32) (local $zStep i32)
    (if (i32.eqz (local.get $nK)) (then (return)))
    (local.set $sl (f64x2.splat (local.get $slope)))
    (local.set $relu (f64.eq (local.get $slope) (f64.const 0)))
    (local.set $stride (i32.shl (local.get $nK) (i32.const 3)))
    ;; z kept: 64 bytes (4 units) further on each iteration of the unit loop; not kept: the scratch again
    (local.set $zStep (select (i32.const 64) (i32.const 0) (local.get $zOut)))
    ;; two samples k, k + 1 at a time (the last one twice when nK is odd)
    (loop $sample
      (local.set $t0 (i32.add (local.get $sibTab) (i32.shl (i32.load8_u (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 8))))
      (local.set $sp0 (i32.add (local.get $sums) (i32.shl (local.get $k) (i32.const 6))))
      (local.set $t1 (local.get $t0))
      (local.set $sp1 (local.get $sp0))
      (if (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $nK))
        (then
          (local.set $t1 (i32.add (local.get $sibTab) (i32.shl (i32.load8_u offset=4 (i32.add (local.get $rows) (i32.shl (local.get $k) (i32.const 2)))) (i32.const 8))))
          (local.set $sp1 (i32.add (local.get $sp0) (i32.const 64)))))
      (local.set $zp0 (select (i32.add (local.get $zOut) (i32.shl (local.get $k) (i32.const 8))) (local.get $zScratch) (local.get $zOut)))
      (local.set $zp1 (select (i32.add (local.get $zp0) (i32.const 256)) (local.get $zp0) (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $nK))))
      (local.set $accLo0 (v128.const i32x4 0 0 0 0))
      (local.set $accHi0 (v128.const i32x4 0 0 0 0))
      (local.set $accLo1 (v128.const i32x4 0 0 0 0))
      (local.set $accHi1 (v128.const i32x4 0 0 0 0))
      ;; the 16 units in turn, 4 per iteration at constant offsets (t, sp and ap step on after each).
      ;; S_kj is splatted from an f32.load, not by v128.load32_splat: V8's code for that one slowed the
      ;; noiseSums that runs after this call (the commit message has the timing)
      (local.set $ap (local.get $a64))
      (local.set $j (i32.const 0))
      ;; σ as relu (pmax in f32) or as the slope select in f64, each in a loop of its own
      (if (local.get $relu)
        (then
        (loop $unitRelu
          (local.set $z0 (f32x4.add (v128.load offset=0 (local.get $t0)) (f32x4.splat (f32.load offset=0 (local.get $sp0)))))
          (local.set $z1 (f32x4.add (v128.load offset=0 (local.get $t1)) (f32x4.splat (f32.load offset=0 (local.get $sp1)))))
          (v128.store offset=0 (local.get $zp0) (local.get $z0))
          (v128.store offset=0 (local.get $zp1) (local.get $z1))
          (local.set $z0 (f32x4.pmax (local.get $z0) (v128.const i32x4 0 0 0 0)))
          (local.set $z1 (f32x4.pmax (local.get $z1) (v128.const i32x4 0 0 0 0)))
          (local.set $lo0 (f64x2.promote_low_f32x4 (local.get $z0)))
          (local.set $hi0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
          (local.set $lo1 (f64x2.promote_low_f32x4 (local.get $z1)))
          (local.set $hi1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
          (local.set $a (v128.load64_splat offset=0 (local.get $ap)))
          (local.set $accLo0 (f64x2.add (local.get $accLo0) (f64x2.mul (local.get $a) (local.get $lo0))))
          (local.set $accHi0 (f64x2.add (local.get $accHi0) (f64x2.mul (local.get $a) (local.get $hi0))))
          (local.set $accLo1 (f64x2.add (local.get $accLo1) (f64x2.mul (local.get $a) (local.get $lo1))))
          (local.set $accHi1 (f64x2.add (local.get $accHi1) (f64x2.mul (local.get $a) (local.get $hi1))))
          (local.set $z0 (f32x4.add (v128.load offset=16 (local.get $t0)) (f32x4.splat (f32.load offset=4 (local.get $sp0)))))
          (local.set $z1 (f32x4.add (v128.load offset=16 (local.get $t1)) (f32x4.splat (f32.load offset=4 (local.get $sp1)))))
          (v128.store offset=16 (local.get $zp0) (local.get $z0))
          (v128.store offset=16 (local.get $zp1) (local.get $z1))
          (local.set $z0 (f32x4.pmax (local.get $z0) (v128.const i32x4 0 0 0 0)))
          (local.set $z1 (f32x4.pmax (local.get $z1) (v128.const i32x4 0 0 0 0)))
          (local.set $lo0 (f64x2.promote_low_f32x4 (local.get $z0)))
          (local.set $hi0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
          (local.set $lo1 (f64x2.promote_low_f32x4 (local.get $z1)))
          (local.set $hi1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
          (local.set $a (v128.load64_splat offset=8 (local.get $ap)))
          (local.set $accLo0 (f64x2.add (local.get $accLo0) (f64x2.mul (local.get $a) (local.get $lo0))))
          (local.set $accHi0 (f64x2.add (local.get $accHi0) (f64x2.mul (local.get $a) (local.get $hi0))))
          (local.set $accLo1 (f64x2.add (local.get $accLo1) (f64x2.mul (local.get $a) (local.get $lo1))))
          (local.set $accHi1 (f64x2.add (local.get $accHi1) (f64x2.mul (local.get $a) (local.get $hi1))))
          (local.set $z0 (f32x4.add (v128.load offset=32 (local.get $t0)) (f32x4.splat (f32.load offset=8 (local.get $sp0)))))
          (local.set $z1 (f32x4.add (v128.load offset=32 (local.get $t1)) (f32x4.splat (f32.load offset=8 (local.get $sp1)))))
          (v128.store offset=32 (local.get $zp0) (local.get $z0))
          (v128.store offset=32 (local.get $zp1) (local.get $z1))
          (local.set $z0 (f32x4.pmax (local.get $z0) (v128.const i32x4 0 0 0 0)))
          (local.set $z1 (f32x4.pmax (local.get $z1) (v128.const i32x4 0 0 0 0)))
          (local.set $lo0 (f64x2.promote_low_f32x4 (local.get $z0)))
          (local.set $hi0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
          (local.set $lo1 (f64x2.promote_low_f32x4 (local.get $z1)))
          (local.set $hi1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
          (local.set $a (v128.load64_splat offset=16 (local.get $ap)))
          (local.set $accLo0 (f64x2.add (local.get $accLo0) (f64x2.mul (local.get $a) (local.get $lo0))))
          (local.set $accHi0 (f64x2.add (local.get $accHi0) (f64x2.mul (local.get $a) (local.get $hi0))))
          (local.set $accLo1 (f64x2.add (local.get $accLo1) (f64x2.mul (local.get $a) (local.get $lo1))))
          (local.set $accHi1 (f64x2.add (local.get $accHi1) (f64x2.mul (local.get $a) (local.get $hi1))))
          (local.set $z0 (f32x4.add (v128.load offset=48 (local.get $t0)) (f32x4.splat (f32.load offset=12 (local.get $sp0)))))
          (local.set $z1 (f32x4.add (v128.load offset=48 (local.get $t1)) (f32x4.splat (f32.load offset=12 (local.get $sp1)))))
          (v128.store offset=48 (local.get $zp0) (local.get $z0))
          (v128.store offset=48 (local.get $zp1) (local.get $z1))
          (local.set $z0 (f32x4.pmax (local.get $z0) (v128.const i32x4 0 0 0 0)))
          (local.set $z1 (f32x4.pmax (local.get $z1) (v128.const i32x4 0 0 0 0)))
          (local.set $lo0 (f64x2.promote_low_f32x4 (local.get $z0)))
          (local.set $hi0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
          (local.set $lo1 (f64x2.promote_low_f32x4 (local.get $z1)))
          (local.set $hi1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
          (local.set $a (v128.load64_splat offset=24 (local.get $ap)))
          (local.set $accLo0 (f64x2.add (local.get $accLo0) (f64x2.mul (local.get $a) (local.get $lo0))))
          (local.set $accHi0 (f64x2.add (local.get $accHi0) (f64x2.mul (local.get $a) (local.get $hi0))))
          (local.set $accLo1 (f64x2.add (local.get $accLo1) (f64x2.mul (local.get $a) (local.get $lo1))))
          (local.set $accHi1 (f64x2.add (local.get $accHi1) (f64x2.mul (local.get $a) (local.get $hi1))))
          (local.set $t0 (i32.add (local.get $t0) (i32.const 64)))
          (local.set $t1 (i32.add (local.get $t1) (i32.const 64)))
          (local.set $sp0 (i32.add (local.get $sp0) (i32.const 16)))
          (local.set $sp1 (i32.add (local.get $sp1) (i32.const 16)))
          (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
          (local.set $zp0 (i32.add (local.get $zp0) (local.get $zStep)))
          (local.set $zp1 (i32.add (local.get $zp1) (local.get $zStep)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br_if $unitRelu (i32.lt_u (local.get $j) (i32.const 16)))))
        (else
        (loop $unitLeaky
          (local.set $z0 (f32x4.add (v128.load offset=0 (local.get $t0)) (f32x4.splat (f32.load offset=0 (local.get $sp0)))))
          (local.set $z1 (f32x4.add (v128.load offset=0 (local.get $t1)) (f32x4.splat (f32.load offset=0 (local.get $sp1)))))
          (v128.store offset=0 (local.get $zp0) (local.get $z0))
          (v128.store offset=0 (local.get $zp1) (local.get $z1))
          (local.set $lo0 (f64x2.promote_low_f32x4 (local.get $z0)))
          (local.set $lo0 (v128.bitselect (local.get $lo0) (f64x2.mul (local.get $lo0) (local.get $sl)) (f64x2.gt (local.get $lo0) (v128.const i32x4 0 0 0 0))))
          (local.set $hi0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
          (local.set $hi0 (v128.bitselect (local.get $hi0) (f64x2.mul (local.get $hi0) (local.get $sl)) (f64x2.gt (local.get $hi0) (v128.const i32x4 0 0 0 0))))
          (local.set $lo1 (f64x2.promote_low_f32x4 (local.get $z1)))
          (local.set $lo1 (v128.bitselect (local.get $lo1) (f64x2.mul (local.get $lo1) (local.get $sl)) (f64x2.gt (local.get $lo1) (v128.const i32x4 0 0 0 0))))
          (local.set $hi1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
          (local.set $hi1 (v128.bitselect (local.get $hi1) (f64x2.mul (local.get $hi1) (local.get $sl)) (f64x2.gt (local.get $hi1) (v128.const i32x4 0 0 0 0))))
          (local.set $a (v128.load64_splat offset=0 (local.get $ap)))
          (local.set $accLo0 (f64x2.add (local.get $accLo0) (f64x2.mul (local.get $a) (local.get $lo0))))
          (local.set $accHi0 (f64x2.add (local.get $accHi0) (f64x2.mul (local.get $a) (local.get $hi0))))
          (local.set $accLo1 (f64x2.add (local.get $accLo1) (f64x2.mul (local.get $a) (local.get $lo1))))
          (local.set $accHi1 (f64x2.add (local.get $accHi1) (f64x2.mul (local.get $a) (local.get $hi1))))
          (local.set $z0 (f32x4.add (v128.load offset=16 (local.get $t0)) (f32x4.splat (f32.load offset=4 (local.get $sp0)))))
          (local.set $z1 (f32x4.add (v128.load offset=16 (local.get $t1)) (f32x4.splat (f32.load offset=4 (local.get $sp1)))))
          (v128.store offset=16 (local.get $zp0) (local.get $z0))
          (v128.store offset=16 (local.get $zp1) (local.get $z1))
          (local.set $lo0 (f64x2.promote_low_f32x4 (local.get $z0)))
          (local.set $lo0 (v128.bitselect (local.get $lo0) (f64x2.mul (local.get $lo0) (local.get $sl)) (f64x2.gt (local.get $lo0) (v128.const i32x4 0 0 0 0))))
          (local.set $hi0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
          (local.set $hi0 (v128.bitselect (local.get $hi0) (f64x2.mul (local.get $hi0) (local.get $sl)) (f64x2.gt (local.get $hi0) (v128.const i32x4 0 0 0 0))))
          (local.set $lo1 (f64x2.promote_low_f32x4 (local.get $z1)))
          (local.set $lo1 (v128.bitselect (local.get $lo1) (f64x2.mul (local.get $lo1) (local.get $sl)) (f64x2.gt (local.get $lo1) (v128.const i32x4 0 0 0 0))))
          (local.set $hi1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
          (local.set $hi1 (v128.bitselect (local.get $hi1) (f64x2.mul (local.get $hi1) (local.get $sl)) (f64x2.gt (local.get $hi1) (v128.const i32x4 0 0 0 0))))
          (local.set $a (v128.load64_splat offset=8 (local.get $ap)))
          (local.set $accLo0 (f64x2.add (local.get $accLo0) (f64x2.mul (local.get $a) (local.get $lo0))))
          (local.set $accHi0 (f64x2.add (local.get $accHi0) (f64x2.mul (local.get $a) (local.get $hi0))))
          (local.set $accLo1 (f64x2.add (local.get $accLo1) (f64x2.mul (local.get $a) (local.get $lo1))))
          (local.set $accHi1 (f64x2.add (local.get $accHi1) (f64x2.mul (local.get $a) (local.get $hi1))))
          (local.set $z0 (f32x4.add (v128.load offset=32 (local.get $t0)) (f32x4.splat (f32.load offset=8 (local.get $sp0)))))
          (local.set $z1 (f32x4.add (v128.load offset=32 (local.get $t1)) (f32x4.splat (f32.load offset=8 (local.get $sp1)))))
          (v128.store offset=32 (local.get $zp0) (local.get $z0))
          (v128.store offset=32 (local.get $zp1) (local.get $z1))
          (local.set $lo0 (f64x2.promote_low_f32x4 (local.get $z0)))
          (local.set $lo0 (v128.bitselect (local.get $lo0) (f64x2.mul (local.get $lo0) (local.get $sl)) (f64x2.gt (local.get $lo0) (v128.const i32x4 0 0 0 0))))
          (local.set $hi0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
          (local.set $hi0 (v128.bitselect (local.get $hi0) (f64x2.mul (local.get $hi0) (local.get $sl)) (f64x2.gt (local.get $hi0) (v128.const i32x4 0 0 0 0))))
          (local.set $lo1 (f64x2.promote_low_f32x4 (local.get $z1)))
          (local.set $lo1 (v128.bitselect (local.get $lo1) (f64x2.mul (local.get $lo1) (local.get $sl)) (f64x2.gt (local.get $lo1) (v128.const i32x4 0 0 0 0))))
          (local.set $hi1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
          (local.set $hi1 (v128.bitselect (local.get $hi1) (f64x2.mul (local.get $hi1) (local.get $sl)) (f64x2.gt (local.get $hi1) (v128.const i32x4 0 0 0 0))))
          (local.set $a (v128.load64_splat offset=16 (local.get $ap)))
          (local.set $accLo0 (f64x2.add (local.get $accLo0) (f64x2.mul (local.get $a) (local.get $lo0))))
          (local.set $accHi0 (f64x2.add (local.get $accHi0) (f64x2.mul (local.get $a) (local.get $hi0))))
          (local.set $accLo1 (f64x2.add (local.get $accLo1) (f64x2.mul (local.get $a) (local.get $lo1))))
          (local.set $accHi1 (f64x2.add (local.get $accHi1) (f64x2.mul (local.get $a) (local.get $hi1))))
          (local.set $z0 (f32x4.add (v128.load offset=48 (local.get $t0)) (f32x4.splat (f32.load offset=12 (local.get $sp0)))))
          (local.set $z1 (f32x4.add (v128.load offset=48 (local.get $t1)) (f32x4.splat (f32.load offset=12 (local.get $sp1)))))
          (v128.store offset=48 (local.get $zp0) (local.get $z0))
          (v128.store offset=48 (local.get $zp1) (local.get $z1))
          (local.set $lo0 (f64x2.promote_low_f32x4 (local.get $z0)))
          (local.set $lo0 (v128.bitselect (local.get $lo0) (f64x2.mul (local.get $lo0) (local.get $sl)) (f64x2.gt (local.get $lo0) (v128.const i32x4 0 0 0 0))))
          (local.set $hi0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
          (local.set $hi0 (v128.bitselect (local.get $hi0) (f64x2.mul (local.get $hi0) (local.get $sl)) (f64x2.gt (local.get $hi0) (v128.const i32x4 0 0 0 0))))
          (local.set $lo1 (f64x2.promote_low_f32x4 (local.get $z1)))
          (local.set $lo1 (v128.bitselect (local.get $lo1) (f64x2.mul (local.get $lo1) (local.get $sl)) (f64x2.gt (local.get $lo1) (v128.const i32x4 0 0 0 0))))
          (local.set $hi1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
          (local.set $hi1 (v128.bitselect (local.get $hi1) (f64x2.mul (local.get $hi1) (local.get $sl)) (f64x2.gt (local.get $hi1) (v128.const i32x4 0 0 0 0))))
          (local.set $a (v128.load64_splat offset=24 (local.get $ap)))
          (local.set $accLo0 (f64x2.add (local.get $accLo0) (f64x2.mul (local.get $a) (local.get $lo0))))
          (local.set $accHi0 (f64x2.add (local.get $accHi0) (f64x2.mul (local.get $a) (local.get $hi0))))
          (local.set $accLo1 (f64x2.add (local.get $accLo1) (f64x2.mul (local.get $a) (local.get $lo1))))
          (local.set $accHi1 (f64x2.add (local.get $accHi1) (f64x2.mul (local.get $a) (local.get $hi1))))
          (local.set $t0 (i32.add (local.get $t0) (i32.const 64)))
          (local.set $t1 (i32.add (local.get $t1) (i32.const 64)))
          (local.set $sp0 (i32.add (local.get $sp0) (i32.const 16)))
          (local.set $sp1 (i32.add (local.get $sp1) (i32.const 16)))
          (local.set $ap (i32.add (local.get $ap) (i32.const 32)))
          (local.set $zp0 (i32.add (local.get $zp0) (local.get $zStep)))
          (local.set $zp1 (i32.add (local.get $zp1) (local.get $zStep)))
          (local.set $j (i32.add (local.get $j) (i32.const 4)))
          (br_if $unitLeaky (i32.lt_u (local.get $j) (i32.const 16))))))
      ;; sibling g of sample k at pOut + 8·(g·nK + k)
      (local.set $out (i32.add (local.get $pOut) (i32.shl (local.get $k) (i32.const 3))))
      (call $storeSiblings (local.get $out) (local.get $stride) (local.get $accLo0) (local.get $accHi0))
      (if (i32.lt_u (i32.add (local.get $k) (i32.const 1)) (local.get $nK))
        (then (call $storeSiblings (i32.add (local.get $out) (i32.const 8)) (local.get $stride) (local.get $accLo1) (local.get $accHi1))))
      (local.set $k (i32.add (local.get $k) (i32.const 2)))
      (br_if $sample (i32.lt_u (local.get $k) (local.get $nK)))))

  ;; The four siblings' outputs of one sample (lanes of lo: siblings 0, 1; of hi: 2, 3) at out, out + stride, …
  (func $storeSiblings (param $out i32) (param $stride i32) (param $lo v128) (param $hi v128)
    (f64.store (local.get $out) (f64x2.extract_lane 0 (local.get $lo)))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (f64.store (local.get $out) (f64x2.extract_lane 1 (local.get $lo)))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (f64.store (local.get $out) (f64x2.extract_lane 0 (local.get $hi)))
    (local.set $out (i32.add (local.get $out) (local.get $stride)))
    (f64.store (local.get $out) (f64x2.extract_lane 1 (local.get $hi))))

  ;; z of test row r for forwardSiblings: T0[byte 0 of the row] + S (its noise sum, 4 quads),
  ;; stored at zOut + 64·r unless zOut = 0.
  (func $siblingZ (param $rows i32) (param $r i32) (param $rowStride i32) (param $tab0 i32) (param $zOut i32)
    (param $s0 v128) (param $s1 v128) (param $s2 v128) (param $s3 v128) (result v128 v128 v128 v128)
    (local $p i32) (local $z0 v128) (local $z1 v128) (local $z2 v128) (local $z3 v128)
    (local.set $p (i32.add (local.get $tab0) (i32.shl (i32.load8_u (i32.add (local.get $rows) (i32.mul (local.get $r) (local.get $rowStride)))) (i32.const 6))))
    (local.set $z0 (f32x4.add (v128.load offset=0 (local.get $p)) (local.get $s0)))
    (local.set $z1 (f32x4.add (v128.load offset=16 (local.get $p)) (local.get $s1)))
    (local.set $z2 (f32x4.add (v128.load offset=32 (local.get $p)) (local.get $s2)))
    (local.set $z3 (f32x4.add (v128.load offset=48 (local.get $p)) (local.get $s3)))
    (if (local.get $zOut)
      (then
        (local.set $p (i32.add (local.get $zOut) (i32.shl (local.get $r) (i32.const 6))))
        (v128.store offset=0 (local.get $p) (local.get $z0))
        (v128.store offset=16 (local.get $p) (local.get $z1))
        (v128.store offset=32 (local.get $p) (local.get $z2))
        (v128.store offset=48 (local.get $p) (local.get $z3))))
    (local.get $z0) (local.get $z1) (local.get $z2) (local.get $z3))
  ;; A block's partial output of one row from its z (4 quads), in the order of forwardPartials in
  ;; step.ts:  Σ_(j = 0 … 15, ascending) a_j · σ(z_j)  in f64,  σ(z) = z > 0 ? z : slope·z
  ;; (a64: the block's 16 output weights as f64; sl: the slope in both lanes; padding lanes have
  ;; a = 0 and z = 0 and add an exact +0).
  (func $partialOutput (param $z0 v128) (param $z1 v128) (param $z2 v128) (param $z3 v128) (param $a64 i32) (param $sl v128) (result f64)
    (local $v v128) (local $sum f64)
    (local.set $v (f64x2.promote_low_f32x4 (local.get $z0)))
    (local.set $v (f64x2.mul (v128.load offset=0 (local.get $a64))
      (v128.bitselect (local.get $v) (f64x2.mul (local.get $v) (local.get $sl)) (f64x2.gt (local.get $v) (v128.const i32x4 0 0 0 0)))))
    (local.set $sum (f64.add (f64.const 0) (f64x2.extract_lane 0 (local.get $v))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 1 (local.get $v))))
    (local.set $v (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
    (local.set $v (f64x2.mul (v128.load offset=16 (local.get $a64))
      (v128.bitselect (local.get $v) (f64x2.mul (local.get $v) (local.get $sl)) (f64x2.gt (local.get $v) (v128.const i32x4 0 0 0 0)))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $v))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 1 (local.get $v))))
    (local.set $v (f64x2.promote_low_f32x4 (local.get $z1)))
    (local.set $v (f64x2.mul (v128.load offset=32 (local.get $a64))
      (v128.bitselect (local.get $v) (f64x2.mul (local.get $v) (local.get $sl)) (f64x2.gt (local.get $v) (v128.const i32x4 0 0 0 0)))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $v))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 1 (local.get $v))))
    (local.set $v (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
    (local.set $v (f64x2.mul (v128.load offset=48 (local.get $a64))
      (v128.bitselect (local.get $v) (f64x2.mul (local.get $v) (local.get $sl)) (f64x2.gt (local.get $v) (v128.const i32x4 0 0 0 0)))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $v))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 1 (local.get $v))))
    (local.set $v (f64x2.promote_low_f32x4 (local.get $z2)))
    (local.set $v (f64x2.mul (v128.load offset=64 (local.get $a64))
      (v128.bitselect (local.get $v) (f64x2.mul (local.get $v) (local.get $sl)) (f64x2.gt (local.get $v) (v128.const i32x4 0 0 0 0)))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $v))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 1 (local.get $v))))
    (local.set $v (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z2) (local.get $z2))))
    (local.set $v (f64x2.mul (v128.load offset=80 (local.get $a64))
      (v128.bitselect (local.get $v) (f64x2.mul (local.get $v) (local.get $sl)) (f64x2.gt (local.get $v) (v128.const i32x4 0 0 0 0)))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $v))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 1 (local.get $v))))
    (local.set $v (f64x2.promote_low_f32x4 (local.get $z3)))
    (local.set $v (f64x2.mul (v128.load offset=96 (local.get $a64))
      (v128.bitselect (local.get $v) (f64x2.mul (local.get $v) (local.get $sl)) (f64x2.gt (local.get $v) (v128.const i32x4 0 0 0 0)))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $v))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 1 (local.get $v))))
    (local.set $v (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z3) (local.get $z3))))
    (local.set $v (f64x2.mul (v128.load offset=112 (local.get $a64))
      (v128.bitselect (local.get $v) (f64x2.mul (local.get $v) (local.get $sl)) (f64x2.gt (local.get $v) (v128.const i32x4 0 0 0 0)))))
    (local.set $sum (f64.add (local.get $sum) (f64x2.extract_lane 0 (local.get $v))))
    (f64.add (local.get $sum) (f64x2.extract_lane 1 (local.get $v))))

  ;; forwardSiblings' four siblings r, r + nK, r + 2nK, r + 3nK of noise sum S (at sp): z as siblingZ,
  ;; stored at zOut + 64·row (or, with zOut = 0, at 768 + 64·g: a scratch below simdLayout.ts's
  ;; regions), then each row's partial output (secondLayerQuad) at pOut + 8·row.
  (func $siblingQuad (param $rows i32) (param $r i32) (param $nK i32) (param $rowStride i32) (param $tab0 i32) (param $sp i32)
    (param $a64 i32) (param $sl v128) (param $relu i32) (param $zOut i32) (param $pOut i32)
    (local $g i32) (local $row i32) (local $t i32) (local $pair v128) (local $z i32) (local $step i32)
    ;; sibling g's z row at z + g·step
    (local.set $z (select (i32.add (local.get $zOut) (i32.shl (local.get $r) (i32.const 6))) (i32.const 768) (local.get $zOut)))
    (local.set $step (select (i32.shl (local.get $nK) (i32.const 6)) (i32.const 64) (local.get $zOut)))
    ;; z of sibling g = T0[its byte 0] + S, quad by quad
    (loop $sibling
      (local.set $row (i32.add (local.get $r) (i32.mul (local.get $nK) (local.get $g))))
      (local.set $t (i32.add (local.get $tab0) (i32.shl (i32.load8_u (i32.add (local.get $rows) (i32.mul (local.get $row) (local.get $rowStride)))) (i32.const 6))))
      (local.set $row (i32.add (local.get $z) (i32.mul (local.get $step) (local.get $g))))
      (v128.store offset=0 (local.get $row) (f32x4.add (v128.load offset=0 (local.get $t)) (v128.load offset=0 (local.get $sp))))
      (v128.store offset=16 (local.get $row) (f32x4.add (v128.load offset=16 (local.get $t)) (v128.load offset=16 (local.get $sp))))
      (v128.store offset=32 (local.get $row) (f32x4.add (v128.load offset=32 (local.get $t)) (v128.load offset=32 (local.get $sp))))
      (v128.store offset=48 (local.get $row) (f32x4.add (v128.load offset=48 (local.get $t)) (v128.load offset=48 (local.get $sp))))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br_if $sibling (i32.lt_u (local.get $g) (i32.const 4))))
    (call $secondLayerQuad (local.get $z) (i32.add (local.get $z) (local.get $step)) (i32.add (local.get $z) (i32.shl (local.get $step) (i32.const 1))) (i32.add (local.get $z) (i32.mul (local.get $step) (i32.const 3)))
      (local.get $a64) (local.get $sl) (local.get $relu))
    (local.set $pair)
    (f64.store (i32.add (local.get $pOut) (i32.shl (i32.add (local.get $r) (i32.shl (local.get $nK) (i32.const 1))) (i32.const 3))) (f64x2.extract_lane 0 (local.get $pair)))
    (f64.store (i32.add (local.get $pOut) (i32.shl (i32.add (local.get $r) (i32.mul (local.get $nK) (i32.const 3))) (i32.const 3))) (f64x2.extract_lane 1 (local.get $pair)))
    (local.set $pair)
    (f64.store (i32.add (local.get $pOut) (i32.shl (local.get $r) (i32.const 3))) (f64x2.extract_lane 0 (local.get $pair)))
    (f64.store (i32.add (local.get $pOut) (i32.shl (i32.add (local.get $r) (local.get $nK)) (i32.const 3))) (f64x2.extract_lane 1 (local.get $pair))))

  ;; The partial outputs Σ_(j ascending) a_j σ(z_j) of four rows whose z are at z0 … z3, as
  ;; partialOutput adds them, bitwise: rows 0–1 and 2–3 share the lanes of two f64x2 chains of adds
  ;; that run side by side (one row's chain of 16 dependent adds is otherwise the critical path).
  ;; relu (slope 0): σ taken in f32 before the promotion as pmax(z, 0) = z < 0 ? 0 : z, one
  ;; instruction for four lanes: the values z > 0 ? z : 0·z but for the sign of a zero, which no sum
  ;; shows (the sums start at +0, and adding ±0 to anything leaves it as it is), and NaN stays NaN.
  (func $secondLayerQuad (param $z0p i32) (param $z1p i32) (param $z2p i32) (param $z3p i32) (param $a64 i32) (param $sl v128) (param $relu i32)
    (result v128 v128)
    (local $q i32) (local $a v128) (local $accA v128) (local $accB v128)
    (local $z0 v128) (local $z1 v128) (local $z2 v128) (local $z3 v128)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (loop $quad
      (local.set $z0 (v128.load (i32.add (local.get $z0p) (local.get $q))))
      (local.set $z1 (v128.load (i32.add (local.get $z1p) (local.get $q))))
      (local.set $z2 (v128.load (i32.add (local.get $z2p) (local.get $q))))
      (local.set $z3 (v128.load (i32.add (local.get $z3p) (local.get $q))))
      (if (local.get $relu)
        (then
          (local.set $z0 (f32x4.pmax (local.get $z0) (v128.const i32x4 0 0 0 0)))
          (local.set $z1 (f32x4.pmax (local.get $z1) (v128.const i32x4 0 0 0 0)))
          (local.set $z2 (f32x4.pmax (local.get $z2) (v128.const i32x4 0 0 0 0)))
          (local.set $z3 (f32x4.pmax (local.get $z3) (v128.const i32x4 0 0 0 0)))
))
      ;; units 4q, 4q + 1 of the quad
      (local.set $v0 (f64x2.promote_low_f32x4 (local.get $z0)))
      (if (i32.eqz (local.get $relu))
        (then (local.set $v0 (v128.bitselect (local.get $v0) (f64x2.mul (local.get $v0) (local.get $sl)) (f64x2.gt (local.get $v0) (v128.const i32x4 0 0 0 0))))))
      (local.set $v1 (f64x2.promote_low_f32x4 (local.get $z1)))
      (if (i32.eqz (local.get $relu))
        (then (local.set $v1 (v128.bitselect (local.get $v1) (f64x2.mul (local.get $v1) (local.get $sl)) (f64x2.gt (local.get $v1) (v128.const i32x4 0 0 0 0))))))
      (local.set $v2 (f64x2.promote_low_f32x4 (local.get $z2)))
      (if (i32.eqz (local.get $relu))
        (then (local.set $v2 (v128.bitselect (local.get $v2) (f64x2.mul (local.get $v2) (local.get $sl)) (f64x2.gt (local.get $v2) (v128.const i32x4 0 0 0 0))))))
      (local.set $v3 (f64x2.promote_low_f32x4 (local.get $z3)))
      (if (i32.eqz (local.get $relu))
        (then (local.set $v3 (v128.bitselect (local.get $v3) (f64x2.mul (local.get $v3) (local.get $sl)) (f64x2.gt (local.get $v3) (v128.const i32x4 0 0 0 0))))))
      (local.set $a (v128.load offset=0 (i32.add (local.get $a64) (i32.shl (local.get $q) (i32.const 1)))))
      (local.set $v0 (f64x2.mul (local.get $a) (local.get $v0)))
      (local.set $v1 (f64x2.mul (local.get $a) (local.get $v1)))
      (local.set $v2 (f64x2.mul (local.get $a) (local.get $v2)))
      (local.set $v3 (f64x2.mul (local.get $a) (local.get $v3)))
      (local.set $accA (f64x2.add (local.get $accA) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1))))
      (local.set $accB (f64x2.add (local.get $accB) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v2) (local.get $v3))))
      (local.set $accA (f64x2.add (local.get $accA) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1))))
      (local.set $accB (f64x2.add (local.get $accB) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v2) (local.get $v3))))
      ;; units 4q + 2, 4q + 3 of the quad
      (local.set $v0 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z0) (local.get $z0))))
      (if (i32.eqz (local.get $relu))
        (then (local.set $v0 (v128.bitselect (local.get $v0) (f64x2.mul (local.get $v0) (local.get $sl)) (f64x2.gt (local.get $v0) (v128.const i32x4 0 0 0 0))))))
      (local.set $v1 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z1) (local.get $z1))))
      (if (i32.eqz (local.get $relu))
        (then (local.set $v1 (v128.bitselect (local.get $v1) (f64x2.mul (local.get $v1) (local.get $sl)) (f64x2.gt (local.get $v1) (v128.const i32x4 0 0 0 0))))))
      (local.set $v2 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z2) (local.get $z2))))
      (if (i32.eqz (local.get $relu))
        (then (local.set $v2 (v128.bitselect (local.get $v2) (f64x2.mul (local.get $v2) (local.get $sl)) (f64x2.gt (local.get $v2) (v128.const i32x4 0 0 0 0))))))
      (local.set $v3 (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $z3) (local.get $z3))))
      (if (i32.eqz (local.get $relu))
        (then (local.set $v3 (v128.bitselect (local.get $v3) (f64x2.mul (local.get $v3) (local.get $sl)) (f64x2.gt (local.get $v3) (v128.const i32x4 0 0 0 0))))))
      (local.set $a (v128.load offset=16 (i32.add (local.get $a64) (i32.shl (local.get $q) (i32.const 1)))))
      (local.set $v0 (f64x2.mul (local.get $a) (local.get $v0)))
      (local.set $v1 (f64x2.mul (local.get $a) (local.get $v1)))
      (local.set $v2 (f64x2.mul (local.get $a) (local.get $v2)))
      (local.set $v3 (f64x2.mul (local.get $a) (local.get $v3)))
      (local.set $accA (f64x2.add (local.get $accA) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1))))
      (local.set $accB (f64x2.add (local.get $accB) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v2) (local.get $v3))))
      (local.set $accA (f64x2.add (local.get $accA) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1))))
      (local.set $accB (f64x2.add (local.get $accB) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v2) (local.get $v3))))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br_if $quad (i32.lt_u (local.get $q) (i32.const 64))))
    (local.get $accA) (local.get $accB))

  ;; Backward coefficients of one block: c_ij = (G_i · a_j) · σ'(z_ij) (f32; σ' = z > 0 ? 1 : slope)
  ;; at c + 64·i for rows [0, nRows), zero for rows [nRows, nRowsPad), and the sums over rows in
  ;; ascending order ∂L/∂a_j = Σ_i G_i σ(z_ij) and ∂L/∂b_j = Σ_i c_ij at gradOut (16 f32 each).
  (func (export "coefBlock") (param $z i32) (param $g i32) (param $nRows i32) (param $nRowsPad i32)
    (param $a32 i32) (param $slope f32) (param $c i32) (param $gradOut i32)
    (local $i i32) (local $gi v128) (local $sl v128) (local $one v128) (local $zero v128)
    (local $zq v128) (local $m v128) (local $cq v128)
    (local $q0 v128) (local $q1 v128) (local $q2 v128) (local $q3 v128)
    (local $ga0 v128) (local $ga1 v128) (local $ga2 v128) (local $ga3 v128)
    (local $gb0 v128) (local $gb1 v128) (local $gb2 v128) (local $gb3 v128)
    (local.set $sl (f32x4.splat (local.get $slope)))
    (local.set $one (f32x4.splat (f32.const 1)))
    (local.set $zero (v128.const i32x4 0 0 0 0))
    (local.set $q0 (v128.load offset=0 (local.get $a32)))
    (local.set $q1 (v128.load offset=16 (local.get $a32)))
    (local.set $q2 (v128.load offset=32 (local.get $a32)))
    (local.set $q3 (v128.load offset=48 (local.get $a32)))
    (local.set $ga0 (local.get $zero)) (local.set $ga1 (local.get $zero)) (local.set $ga2 (local.get $zero)) (local.set $ga3 (local.get $zero))
    (local.set $gb0 (local.get $zero)) (local.set $gb1 (local.get $zero)) (local.set $gb2 (local.get $zero)) (local.set $gb3 (local.get $zero))
    (block $done
      (br_if $done (i32.eqz (local.get $nRows)))
      (loop $row
        (local.set $gi (f32x4.splat (f32.demote_f64 (f64.load (local.get $g)))))
        (local.set $zq (v128.load offset=0 (local.get $z)))
        (local.set $m (f32x4.gt (local.get $zq) (local.get $zero)))
        (local.set $ga0 (f32x4.add (local.get $ga0) (f32x4.mul (local.get $gi) (v128.bitselect (local.get $zq) (f32x4.mul (local.get $zq) (local.get $sl)) (local.get $m)))))
        (local.set $cq (f32x4.mul (f32x4.mul (local.get $gi) (local.get $q0)) (v128.bitselect (local.get $one) (local.get $sl) (local.get $m))))
        (local.set $gb0 (f32x4.add (local.get $gb0) (local.get $cq)))
        (v128.store offset=0 (local.get $c) (local.get $cq))
        (local.set $zq (v128.load offset=16 (local.get $z)))
        (local.set $m (f32x4.gt (local.get $zq) (local.get $zero)))
        (local.set $ga1 (f32x4.add (local.get $ga1) (f32x4.mul (local.get $gi) (v128.bitselect (local.get $zq) (f32x4.mul (local.get $zq) (local.get $sl)) (local.get $m)))))
        (local.set $cq (f32x4.mul (f32x4.mul (local.get $gi) (local.get $q1)) (v128.bitselect (local.get $one) (local.get $sl) (local.get $m))))
        (local.set $gb1 (f32x4.add (local.get $gb1) (local.get $cq)))
        (v128.store offset=16 (local.get $c) (local.get $cq))
        (local.set $zq (v128.load offset=32 (local.get $z)))
        (local.set $m (f32x4.gt (local.get $zq) (local.get $zero)))
        (local.set $ga2 (f32x4.add (local.get $ga2) (f32x4.mul (local.get $gi) (v128.bitselect (local.get $zq) (f32x4.mul (local.get $zq) (local.get $sl)) (local.get $m)))))
        (local.set $cq (f32x4.mul (f32x4.mul (local.get $gi) (local.get $q2)) (v128.bitselect (local.get $one) (local.get $sl) (local.get $m))))
        (local.set $gb2 (f32x4.add (local.get $gb2) (local.get $cq)))
        (v128.store offset=32 (local.get $c) (local.get $cq))
        (local.set $zq (v128.load offset=48 (local.get $z)))
        (local.set $m (f32x4.gt (local.get $zq) (local.get $zero)))
        (local.set $ga3 (f32x4.add (local.get $ga3) (f32x4.mul (local.get $gi) (v128.bitselect (local.get $zq) (f32x4.mul (local.get $zq) (local.get $sl)) (local.get $m)))))
        (local.set $cq (f32x4.mul (f32x4.mul (local.get $gi) (local.get $q3)) (v128.bitselect (local.get $one) (local.get $sl) (local.get $m))))
        (local.set $gb3 (f32x4.add (local.get $gb3) (local.get $cq)))
        (v128.store offset=48 (local.get $c) (local.get $cq))
        (local.set $z (i32.add (local.get $z) (i32.const 64)))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (local.set $g (i32.add (local.get $g) (i32.const 8)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $row (i32.lt_u (local.get $i) (local.get $nRows)))))
    (block $padded
      (br_if $padded (i32.ge_u (local.get $i) (local.get $nRowsPad)))
      (loop $pad
        (v128.store offset=0 (local.get $c) (local.get $zero))
        (v128.store offset=16 (local.get $c) (local.get $zero))
        (v128.store offset=32 (local.get $c) (local.get $zero))
        (v128.store offset=48 (local.get $c) (local.get $zero))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $pad (i32.lt_u (local.get $i) (local.get $nRowsPad)))))
    (v128.store offset=0 (local.get $gradOut) (local.get $ga0))
    (v128.store offset=16 (local.get $gradOut) (local.get $ga1))
    (v128.store offset=32 (local.get $gradOut) (local.get $ga2))
    (v128.store offset=48 (local.get $gradOut) (local.get $ga3))
    (v128.store offset=64 (local.get $gradOut) (local.get $gb0))
    (v128.store offset=80 (local.get $gradOut) (local.get $gb1))
    (v128.store offset=96 (local.get $gradOut) (local.get $gb2))
    (v128.store offset=112 (local.get $gradOut) (local.get $gb3)))

  ;; The first-layer gradients of one block from 8-bit tables of its coefficients (buildTables8 at
  ;; tab, 16 KiB per group of 8 samples): for each coordinate k < d,
  ;;   ∂L/∂w_k = ((+0 + U_0[byte 0 of column k]) + U_1[byte 1]) + …   (16 lanes, f32, groups ascending)
  ;; at sums + 64·k, for gradUpdateBlock. One sample word (4 groups, 64 KiB of tables) at a time
  ;; over every coordinate, the partial sums carried in memory between words in the same order:
  ;; reading every group of a batch for each coordinate (16 KiB of tables per 8 samples) goes to
  ;; L2 for most lookups once the batch is 128 or more (the commit message has the timings).
  (func (export "gradSums8") (param $cols i32) (param $d i32) (param $sampleWords i32) (param $tab i32) (param $sums i32)
    (local $h i32) (local $cp i32) (local $cpEnd i32) (local $sp i32) (local $tp i32) (local $x i32)
    (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (if (i32.or (i32.eqz (local.get $d)) (i32.eqz (local.get $sampleWords))) (then (return)))
    (loop $word
      (local.set $cp (i32.add (local.get $cols) (i32.mul (local.get $h) (i32.shl (local.get $d) (i32.const 2)))))
      (local.set $cpEnd (i32.add (local.get $cp) (i32.shl (local.get $d) (i32.const 2))))
      (local.set $tp (i32.add (local.get $tab) (i32.shl (local.get $h) (i32.const 16))))
      (local.set $sp (local.get $sums))
      (loop $coord
        (local.set $x (i32.load (local.get $cp)))
        (local.set $p0 (i32.add (local.get $tp) (i32.and (i32.shl (local.get $x) (i32.const 6)) (i32.const 16320))))
        (local.set $p1 (i32.add (local.get $tp) (i32.and (i32.shr_u (local.get $x) (i32.const 2)) (i32.const 16320))))
        (local.set $p2 (i32.add (local.get $tp) (i32.and (i32.shr_u (local.get $x) (i32.const 10)) (i32.const 16320))))
        (local.set $p3 (i32.add (local.get $tp) (i32.and (i32.shr_u (local.get $x) (i32.const 18)) (i32.const 16320))))
        (if (local.get $h)
          (then
            (local.set $s0 (v128.load offset=0 (local.get $sp)))
            (local.set $s1 (v128.load offset=16 (local.get $sp)))
            (local.set $s2 (v128.load offset=32 (local.get $sp)))
            (local.set $s3 (v128.load offset=48 (local.get $sp))))
          (else
            (local.set $s0 (v128.const i32x4 0 0 0 0))
            (local.set $s1 (v128.const i32x4 0 0 0 0))
            (local.set $s2 (v128.const i32x4 0 0 0 0))
            (local.set $s3 (v128.const i32x4 0 0 0 0))))
        (v128.store offset=0 (local.get $sp) (f32x4.add (f32x4.add (f32x4.add (f32x4.add (local.get $s0) (v128.load offset=0 (local.get $p0))) (v128.load offset=16384 (local.get $p1))) (v128.load offset=32768 (local.get $p2))) (v128.load offset=49152 (local.get $p3))))
        (v128.store offset=16 (local.get $sp) (f32x4.add (f32x4.add (f32x4.add (f32x4.add (local.get $s1) (v128.load offset=16 (local.get $p0))) (v128.load offset=16400 (local.get $p1))) (v128.load offset=32784 (local.get $p2))) (v128.load offset=49168 (local.get $p3))))
        (v128.store offset=32 (local.get $sp) (f32x4.add (f32x4.add (f32x4.add (f32x4.add (local.get $s2) (v128.load offset=32 (local.get $p0))) (v128.load offset=16416 (local.get $p1))) (v128.load offset=32800 (local.get $p2))) (v128.load offset=49184 (local.get $p3))))
        (v128.store offset=48 (local.get $sp) (f32x4.add (f32x4.add (f32x4.add (f32x4.add (local.get $s3) (v128.load offset=48 (local.get $p0))) (v128.load offset=16432 (local.get $p1))) (v128.load offset=32816 (local.get $p2))) (v128.load offset=49200 (local.get $p3))))
        (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
        (local.set $cp (i32.add (local.get $cp) (i32.const 4)))
        (br_if $coord (i32.lt_u (local.get $cp) (local.get $cpEnd))))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br_if $word (i32.lt_u (local.get $h) (local.get $sampleWords)))))

  ;; The first-layer gradients of one block from 4-bit tables of its coefficients (buildTables4 at
  ;; tab, 1 KiB per group of 4 samples, 8 KiB per sample word):
  ;;   ∂L/∂w_k = ((+0 + U_0[nibble 0 of column k]) + U_1[nibble 1]) + …   (16 lanes, f32, groups ascending)
  ;; at sums + 64·k, for gradUpdateBlock; `chunk` sample words (chunk·8 KiB of tables) at a time over
  ;; every coordinate, the partial sums carried in memory between chunks in the same order, so that a
  ;; large batch's tables read for a coordinate stay in L1 (8-bit tables: gradSums8, which pays at
  ;; large d; simdLayout.ts usesWideBackward decides).
  (func (export "gradSums4") (param $cols i32) (param $d i32) (param $sampleWords i32) (param $chunk i32) (param $tab i32) (param $sums i32)
    (local $w0 i32) (local $w1 i32) (local $k i32) (local $cp i32) (local $cpEnd i32) (local $stride i32) (local $sp i32) (local $tp i32)
    (local $x i32) (local $p i32) (local $n i32) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (if (i32.or (i32.eqz (local.get $d)) (i32.eqz (local.get $sampleWords))) (then (return)))
    (local.set $stride (i32.shl (local.get $d) (i32.const 2)))
    (loop $chunk
      (local.set $w1 (select (i32.add (local.get $w0) (local.get $chunk)) (local.get $sampleWords)
        (i32.lt_u (i32.add (local.get $w0) (local.get $chunk)) (local.get $sampleWords))))
      (local.set $sp (local.get $sums))
      (local.set $k (i32.const 0))
      (loop $coord
        (if (local.get $w0)
          (then
            (local.set $a0 (v128.load offset=0 (local.get $sp)))
            (local.set $a1 (v128.load offset=16 (local.get $sp)))
            (local.set $a2 (v128.load offset=32 (local.get $sp)))
            (local.set $a3 (v128.load offset=48 (local.get $sp))))
          (else
            (local.set $a0 (v128.const i32x4 0 0 0 0))
            (local.set $a1 (v128.const i32x4 0 0 0 0))
            (local.set $a2 (v128.const i32x4 0 0 0 0))
            (local.set $a3 (v128.const i32x4 0 0 0 0))))
        (local.set $cp (i32.add (i32.add (local.get $cols) (i32.shl (local.get $k) (i32.const 2))) (i32.mul (local.get $w0) (local.get $stride))))
        (local.set $cpEnd (i32.add (i32.add (local.get $cols) (i32.shl (local.get $k) (i32.const 2))) (i32.mul (local.get $w1) (local.get $stride))))
        (local.set $tp (i32.add (local.get $tab) (i32.shl (local.get $w0) (i32.const 13))))
        (loop $word
          (local.set $x (i32.load (local.get $cp)))
          ;; two nibbles per iteration, as forwardBlock4
          (local.set $n (i32.const 4))
          (loop $nib
            (local.set $p (i32.add (local.get $tp) (i32.and (i32.shl (local.get $x) (i32.const 6)) (i32.const 960))))
            (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=0 (local.get $p))))
            (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=16 (local.get $p))))
            (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=32 (local.get $p))))
            (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=48 (local.get $p))))
            (local.set $p (i32.add (local.get $tp) (i32.and (i32.shl (local.get $x) (i32.const 2)) (i32.const 960))))
            (local.set $a0 (f32x4.add (local.get $a0) (v128.load offset=1024 (local.get $p))))
            (local.set $a1 (f32x4.add (local.get $a1) (v128.load offset=1040 (local.get $p))))
            (local.set $a2 (f32x4.add (local.get $a2) (v128.load offset=1056 (local.get $p))))
            (local.set $a3 (f32x4.add (local.get $a3) (v128.load offset=1072 (local.get $p))))
            (local.set $x (i32.shr_u (local.get $x) (i32.const 8)))
            (local.set $tp (i32.add (local.get $tp) (i32.const 2048)))
            (local.set $n (i32.sub (local.get $n) (i32.const 1)))
            (br_if $nib (local.get $n)))
          (local.set $cp (i32.add (local.get $cp) (local.get $stride)))
          (br_if $word (i32.lt_u (local.get $cp) (local.get $cpEnd))))
        (v128.store offset=0 (local.get $sp) (local.get $a0))
        (v128.store offset=16 (local.get $sp) (local.get $a1))
        (v128.store offset=32 (local.get $sp) (local.get $a2))
        (v128.store offset=48 (local.get $sp) (local.get $a3))
        (local.set $sp (i32.add (local.get $sp) (i32.const 64)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br_if $coord (i32.lt_u (local.get $k) (local.get $d))))
      (local.set $w0 (local.get $w1))
      (br_if $chunk (i32.lt_u (local.get $w0) (local.get $sampleWords)))))

  ;; SGD update of one block's first layer from its gradients ∂L/∂w_k at sums + 64·k (16 lanes,
  ;; f32; gradSums4 or gradSums8), for each coordinate k < d: times `scale` for k = 2, then
  ;; w_k ← w_k − lr·(∂L/∂w_k + wd·w_k) evaluated in f64 and rounded
  ;; to f32 as updateNeurons in step.ts. With `fast` (the host's word that wd = 0 and lr = 2^e,
  ;; e ≤ 0) a coordinate k ≠ 2 whose 16 gradients are each 0, NaN or at least 2^−126/lr keeps w − lr·g
  ;; computed in f32. For g = 0 or |g| ≥ 2^−126/lr that is the f64 formula's value: lr·g is exact in
  ;; f32 (a normal f32 scaled by 2^e) and the same in f64, g + 0·w is g (but for the sign of a zero,
  ;; which w − lr·g does not show), and an f32 subtraction done in f64 and rounded to f32 is the f32
  ;; subtraction (53 ≥ 2·24 + 2: double rounding is innocuous; w is finite, as a run stops at its
  ;; first non-finite weight); a NaN g gives NaN either way. Other coordinates take updateCoordF64.
  ;; The finite check of the new weights, Σ (w − w) as finiteCheckBlock sums it (+0, or NaN if one is not
  ;; finite), goes to `check` (an f32), so the block statistics need not read the weights again.
  (func (export "gradUpdateBlock") (param $sums i32) (param $d i32)
    (param $wt i32) (param $lr f64) (param $wd f64) (param $scale f64) (param $fast i32) (param $check i32)
    (local $k i32) (local $lr32 v128) (local $least v128) (local $magnitude v128) (local $one v128) (local $w0 v128) (local $w1 v128) (local $w2 v128) (local $w3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $n0 v128) (local $n1 v128) (local $n2 v128) (local $n3 v128)
    (local $lrv v128) (local $wdv v128) (local $chk v128)
    (if (i32.eqz (local.get $d)) (then (f32.store (local.get $check) (f32.const 0)) (return)))
    (local.set $lrv (f64x2.splat (local.get $lr)))
    (local.set $wdv (f64x2.splat (local.get $wd)))
    (local.set $lr32 (f32x4.splat (f32.demote_f64 (local.get $lr))))
    ;; least: the bits, minus 1, of 2^−126/lr, the least |g| whose lr·g (lr = 2^e, e ≤ 0) is a
    ;; normal f32 and so exact
    (local.set $least (i32x4.sub (f32x4.splat (f32.demote_f64 (f64.div (f64.const 0x1p-126) (local.get $lr)))) (i32x4.splat (i32.const 1))))
    (local.set $magnitude (i32x4.splat (i32.const 0x7fffffff)))
    (local.set $one (i32x4.splat (i32.const 1)))
    (loop $coord
      (local.set $a0 (v128.load offset=0 (local.get $sums)))
      (local.set $a1 (v128.load offset=16 (local.get $sums)))
      (local.set $a2 (v128.load offset=32 (local.get $sums)))
      (local.set $a3 (v128.load offset=48 (local.get $sums)))
      (local.set $sums (i32.add (local.get $sums) (i32.const 64)))
      (local.set $w0 (v128.load offset=0 (local.get $wt)))
      (local.set $w1 (v128.load offset=16 (local.get $wt)))
      (local.set $w2 (v128.load offset=32 (local.get $wt)))
      (local.set $w3 (v128.load offset=48 (local.get $wt)))
      (local.set $n0 (f32x4.sub (local.get $w0) (f32x4.mul (local.get $a0) (local.get $lr32))))
      (local.set $n1 (f32x4.sub (local.get $w1) (f32x4.mul (local.get $a1) (local.get $lr32))))
      (local.set $n2 (f32x4.sub (local.get $w2) (f32x4.mul (local.get $a2) (local.get $lr32))))
      (local.set $n3 (f32x4.sub (local.get $w3) (f32x4.mul (local.get $a3) (local.get $lr32))))
      (v128.store offset=0 (local.get $wt) (local.get $n0))
      (v128.store offset=16 (local.get $wt) (local.get $n1))
      (v128.store offset=32 (local.get $wt) (local.get $n2))
      (v128.store offset=48 (local.get $wt) (local.get $n3))
      ;; the f32 value stands where fast, k ≠ 2 and every lane's g is 0 or at least 2^−126/lr: as
      ;; unsigned integers, |g|'s bits − 1 (0 wraps to the greatest) ≥ least's bits − 1 (a NaN g
      ;; passes: NaN either way)
      (if (i32.or (i32.or (i32.eqz (local.get $fast)) (i32.eq (local.get $k) (i32.const 2)))
            (i32.eqz (i32x4.all_true (i32x4.ge_u
              (i32x4.min_u
                (i32x4.min_u (i32x4.sub (v128.and (local.get $a0) (local.get $magnitude)) (local.get $one)) (i32x4.sub (v128.and (local.get $a1) (local.get $magnitude)) (local.get $one)))
                (i32x4.min_u (i32x4.sub (v128.and (local.get $a2) (local.get $magnitude)) (local.get $one)) (i32x4.sub (v128.and (local.get $a3) (local.get $magnitude)) (local.get $one))))
              (local.get $least)))))
        (then (call $updateCoordF64 (local.get $wt) (local.get $w0) (local.get $w1) (local.get $w2) (local.get $w3) (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3)
          (local.get $lrv) (local.get $wdv) (f64x2.splat (select (local.get $scale) (f64.const 1) (i32.eq (local.get $k) (i32.const 2)))))
          (local.set $n0 (v128.load offset=0 (local.get $wt)))
          (local.set $n1 (v128.load offset=16 (local.get $wt)))
          (local.set $n2 (v128.load offset=32 (local.get $wt)))
          (local.set $n3 (v128.load offset=48 (local.get $wt)))))
      (local.set $chk (f32x4.add (local.get $chk) (f32x4.add (f32x4.add (f32x4.sub (local.get $n0) (local.get $n0)) (f32x4.sub (local.get $n1) (local.get $n1)))
        (f32x4.add (f32x4.sub (local.get $n2) (local.get $n2)) (f32x4.sub (local.get $n3) (local.get $n3))))))
      (local.set $wt (i32.add (local.get $wt) (i32.const 64)))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br_if $coord (i32.lt_u (local.get $k) (local.get $d))))
    (f32.store (local.get $check) (f32.add (f32.add (f32x4.extract_lane 0 (local.get $chk)) (f32x4.extract_lane 1 (local.get $chk)))
      (f32.add (f32x4.extract_lane 2 (local.get $chk)) (f32x4.extract_lane 3 (local.get $chk))))))

  ;; gradUpdateBlock's update in f64 of one coordinate's 16 weights w (4 quads, as they were before
  ;; the step) from their gradients g, into wt: w ← w − lr·(g·sc + wd·w), rounded to f32 (lrv, wdv,
  ;; sc: lr, wd and the coordinate's scale in both lanes).
  (func $updateCoordF64 (param $wt i32) (param $w0 v128) (param $w1 v128) (param $w2 v128) (param $w3 v128) (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128)
    (param $lrv v128) (param $wdv v128) (param $sc v128)
    (local $w v128) (local $lo v128) (local $hi v128)
    (local.set $w (local.get $w0))
    (local.set $lo (f64x2.promote_low_f32x4 (local.get $w)))
    (local.set $lo (f64x2.sub (local.get $lo) (f64x2.mul (local.get $lrv)
      (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a0)) (local.get $sc)) (f64x2.mul (local.get $wdv) (local.get $lo))))))
    (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))))
    (local.set $hi (f64x2.sub (local.get $hi) (f64x2.mul (local.get $lrv)
      (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a0) (local.get $a0))) (local.get $sc)) (f64x2.mul (local.get $wdv) (local.get $hi))))))
    (v128.store offset=0 (local.get $wt) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))
    (local.set $w (local.get $w1))
    (local.set $lo (f64x2.promote_low_f32x4 (local.get $w)))
    (local.set $lo (f64x2.sub (local.get $lo) (f64x2.mul (local.get $lrv)
      (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a1)) (local.get $sc)) (f64x2.mul (local.get $wdv) (local.get $lo))))))
    (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))))
    (local.set $hi (f64x2.sub (local.get $hi) (f64x2.mul (local.get $lrv)
      (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a1) (local.get $a1))) (local.get $sc)) (f64x2.mul (local.get $wdv) (local.get $hi))))))
    (v128.store offset=16 (local.get $wt) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))
    (local.set $w (local.get $w2))
    (local.set $lo (f64x2.promote_low_f32x4 (local.get $w)))
    (local.set $lo (f64x2.sub (local.get $lo) (f64x2.mul (local.get $lrv)
      (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a2)) (local.get $sc)) (f64x2.mul (local.get $wdv) (local.get $lo))))))
    (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))))
    (local.set $hi (f64x2.sub (local.get $hi) (f64x2.mul (local.get $lrv)
      (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a2) (local.get $a2))) (local.get $sc)) (f64x2.mul (local.get $wdv) (local.get $hi))))))
    (v128.store offset=32 (local.get $wt) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi))))
    (local.set $w (local.get $w3))
    (local.set $lo (f64x2.promote_low_f32x4 (local.get $w)))
    (local.set $lo (f64x2.sub (local.get $lo) (f64x2.mul (local.get $lrv)
      (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (local.get $a3)) (local.get $sc)) (f64x2.mul (local.get $wdv) (local.get $lo))))))
    (local.set $hi (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w))))
    (local.set $hi (f64x2.sub (local.get $hi) (f64x2.mul (local.get $lrv)
      (f64x2.add (f64x2.mul (f64x2.promote_low_f32x4 (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a3) (local.get $a3))) (local.get $sc)) (f64x2.mul (local.get $wdv) (local.get $hi))))))
    (v128.store offset=48 (local.get $wt) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (local.get $lo)) (f32x4.demote_f64x2_zero (local.get $hi)))))

  ;; Per lane of a block (16 neurons at wt, 64 bytes a coordinate): Σ_(k ≥ 3) w_k² in f64, in
  ;; ascending k from +0 as metrics.ts adds it (massNoise); quad q's lanes 0–1 at out + 32·q, lanes
  ;; 2–3 at out + 32·q + 16. The four quads go side by side: eight independent chains of adds, not
  ;; one quad's two chains at a time waiting on each add.
  (func (export "noiseMassBlock") (param $wt i32) (param $d i32) (param $out i32)
    (local $end i32) (local $w v128) (local $p v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $end (i32.add (local.get $wt) (i32.shl (local.get $d) (i32.const 6))))
    (local.set $wt (i32.add (local.get $wt) (i32.const 192)))
    (block $done
      (br_if $done (i32.ge_u (local.get $wt) (local.get $end)))
      (loop $coord
        (local.set $w (v128.load offset=0 (local.get $wt)))
        (local.set $p (f64x2.promote_low_f32x4 (local.get $w)))
        (local.set $s0 (f64x2.add (local.get $s0) (f64x2.mul (local.get $p) (local.get $p))))
        (local.set $w (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
        (local.set $p (f64x2.promote_low_f32x4 (local.get $w)))
        (local.set $s1 (f64x2.add (local.get $s1) (f64x2.mul (local.get $p) (local.get $p))))
        (local.set $w (v128.load offset=16 (local.get $wt)))
        (local.set $p (f64x2.promote_low_f32x4 (local.get $w)))
        (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $p) (local.get $p))))
        (local.set $w (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
        (local.set $p (f64x2.promote_low_f32x4 (local.get $w)))
        (local.set $s3 (f64x2.add (local.get $s3) (f64x2.mul (local.get $p) (local.get $p))))
        (local.set $w (v128.load offset=32 (local.get $wt)))
        (local.set $p (f64x2.promote_low_f32x4 (local.get $w)))
        (local.set $s4 (f64x2.add (local.get $s4) (f64x2.mul (local.get $p) (local.get $p))))
        (local.set $w (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
        (local.set $p (f64x2.promote_low_f32x4 (local.get $w)))
        (local.set $s5 (f64x2.add (local.get $s5) (f64x2.mul (local.get $p) (local.get $p))))
        (local.set $w (v128.load offset=48 (local.get $wt)))
        (local.set $p (f64x2.promote_low_f32x4 (local.get $w)))
        (local.set $s6 (f64x2.add (local.get $s6) (f64x2.mul (local.get $p) (local.get $p))))
        (local.set $w (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $w) (local.get $w)))
        (local.set $p (f64x2.promote_low_f32x4 (local.get $w)))
        (local.set $s7 (f64x2.add (local.get $s7) (f64x2.mul (local.get $p) (local.get $p))))
        (local.set $wt (i32.add (local.get $wt) (i32.const 64)))
        (br_if $coord (i32.lt_u (local.get $wt) (local.get $end)))))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (v128.store offset=48 (local.get $out) (local.get $s3))
    (v128.store offset=64 (local.get $out) (local.get $s4))
    (v128.store offset=80 (local.get $out) (local.get $s5))
    (v128.store offset=96 (local.get $out) (local.get $s6))
    (v128.store offset=112 (local.get $out) (local.get $s7)))

  ;; The finite check of a block's first-layer weights (d coordinates of 16 f32 at wt): Σ (w − w),
  ;; +0 when every weight is finite and NaN otherwise, whatever the order of the adds (four chains).
  (func $finiteCheckBlock (param $wt i32) (param $d i32) (result f32)
    (local $end i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $w v128)
    (local.set $end (i32.add (local.get $wt) (i32.shl (local.get $d) (i32.const 6))))
    (loop $coord
      (local.set $w (v128.load offset=0 (local.get $wt)))
      (local.set $s0 (f32x4.add (local.get $s0) (f32x4.sub (local.get $w) (local.get $w))))
      (local.set $w (v128.load offset=16 (local.get $wt)))
      (local.set $s1 (f32x4.add (local.get $s1) (f32x4.sub (local.get $w) (local.get $w))))
      (local.set $w (v128.load offset=32 (local.get $wt)))
      (local.set $s2 (f32x4.add (local.get $s2) (f32x4.sub (local.get $w) (local.get $w))))
      (local.set $w (v128.load offset=48 (local.get $wt)))
      (local.set $s3 (f32x4.add (local.get $s3) (f32x4.sub (local.get $w) (local.get $w))))
      (local.set $wt (i32.add (local.get $wt) (i32.const 64)))
      (br_if $coord (i32.lt_u (local.get $wt) (local.get $end))))
    (local.set $s0 (f32x4.add (f32x4.add (local.get $s0) (local.get $s1)) (f32x4.add (local.get $s2) (local.get $s3))))
    (f32.add (f32.add (f32x4.extract_lane 0 (local.get $s0)) (f32x4.extract_lane 1 (local.get $s0)))
      (f32.add (f32x4.extract_lane 2 (local.get $s0)) (f32x4.extract_lane 3 (local.get $s0)))))

  ;; The block statistics of metrics.ts blockStats for one block of `lanes` neurons (weights at wt,
  ;; output weights at a32, biases at bias; with withNoise, statsQuad's per-lane Σ_(k≥3) w_k² at sums),
  ;; bitwise its values: in f64, lanes ascending,
  ;;   out[0] = Σ |a_j||w_j2|,   out[1] = Σ |a_j| √(w_j0² + w_j1²),   out[2] = Σ |a_j| √(sums_j / (d − 3))
  ;;   (withNoise and d > 3, else 0),   out[3] = #{j : a_j w_j2 > 0},
  ;;   out[4] = finiteCheckBlock + Σ ((a_j − a_j) + (b_j − b_j)), where check ≠ 0 the f32 stored at
  ;;   check (gradUpdateBlock's finite check of these very weights) in place of finiteCheckBlock.
  (func (export "blockStatsBlock") (param $wt i32) (param $d i32) (param $a32 i32) (param $bias i32) (param $sums i32)
    (param $lanes i32) (param $withNoise i32) (param $check i32) (param $out i32)
    (local $l i32) (local $a f64) (local $absA f64) (local $w0 f64) (local $w1 f64) (local $w2 f64) (local $b f64)
    (local $spurious f64) (local $signal f64) (local $noise f64) (local $align f64) (local $finite f64) (local $noiseCount f64)
    (local.set $finite (f64.promote_f32 (if (result f32) (local.get $check)
      (then (f32.load (local.get $check)))
      (else (call $finiteCheckBlock (local.get $wt) (local.get $d))))))
    (local.set $noiseCount (f64.convert_i32_s (i32.sub (local.get $d) (i32.const 3))))
    (if (i32.le_s (local.get $d) (i32.const 3)) (then (local.set $withNoise (i32.const 0))))
    (block $done
      (loop $lane
        (br_if $done (i32.ge_u (local.get $l) (local.get $lanes)))
        (local.set $a (f64.promote_f32 (f32.load (i32.add (local.get $a32) (i32.shl (local.get $l) (i32.const 2))))))
        (local.set $b (f64.promote_f32 (f32.load (i32.add (local.get $bias) (i32.shl (local.get $l) (i32.const 2))))))
        (local.set $absA (f64.abs (local.get $a)))
        (local.set $w0 (f64.promote_f32 (f32.load offset=0 (i32.add (local.get $wt) (i32.shl (local.get $l) (i32.const 2))))))
        (local.set $w1 (f64.promote_f32 (f32.load offset=64 (i32.add (local.get $wt) (i32.shl (local.get $l) (i32.const 2))))))
        (local.set $w2 (f64.promote_f32 (f32.load offset=128 (i32.add (local.get $wt) (i32.shl (local.get $l) (i32.const 2))))))
        (local.set $spurious (f64.add (local.get $spurious) (f64.mul (local.get $absA) (f64.abs (local.get $w2)))))
        (local.set $signal (f64.add (local.get $signal) (f64.mul (local.get $absA)
          (f64.sqrt (f64.add (f64.mul (local.get $w0) (local.get $w0)) (f64.mul (local.get $w1) (local.get $w1)))))))
        (if (local.get $withNoise)
          (then
            (local.set $noise (f64.add (local.get $noise) (f64.mul (local.get $absA)
              (f64.sqrt (f64.div (f64.load (i32.add (local.get $sums) (i32.shl (local.get $l) (i32.const 3)))) (local.get $noiseCount))))))))
        (if (f64.gt (f64.mul (local.get $a) (local.get $w2)) (f64.const 0))
          (then (local.set $align (f64.add (local.get $align) (f64.const 1)))))
        (local.set $finite (f64.add (local.get $finite) (f64.add (f64.sub (local.get $a) (local.get $a)) (f64.sub (local.get $b) (local.get $b)))))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $lane)))
    (f64.store offset=0 (local.get $out) (local.get $spurious))
    (f64.store offset=8 (local.get $out) (local.get $signal))
    (f64.store offset=16 (local.get $out) (local.get $noise))
    (f64.store offset=24 (local.get $out) (local.get $align))
    (f64.store offset=32 (local.get $out) (local.get $finite)))

  ;; The SGD update of the output weights a_j of lanes [0, lanes) of a block (and of its biases b_j
  ;; with trainBias) from coefBlock's gradients at grad (∂L/∂a: 16 f32, then ∂L/∂b: 16 f32), as
  ;; step.ts applySgd: θ ← θ − lr·(∂L/∂θ + weightDecay·θ) in f64, rounded to f32; a64 gets the new a.
  (func (export "outputUpdateBlock") (param $a32 i32) (param $a64 i32) (param $bias i32) (param $grad i32) (param $lanes i32)
    (param $lr f64) (param $wd f64) (param $trainBias i32)
    (local $l i32) (local $v f64) (local $new f32) (local $at i32)
    (block $done
      (loop $lane
        (br_if $done (i32.ge_u (local.get $l) (local.get $lanes)))
        (local.set $at (i32.shl (local.get $l) (i32.const 2)))
        (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $a32) (local.get $at)))))
        (local.set $new (f32.demote_f64 (f64.sub (local.get $v) (f64.mul (local.get $lr)
          (f64.add (f64.promote_f32 (f32.load offset=0 (i32.add (local.get $grad) (local.get $at)))) (f64.mul (local.get $wd) (local.get $v)))))))
        (f32.store (i32.add (local.get $a32) (local.get $at)) (local.get $new))
        (f64.store (i32.add (local.get $a64) (i32.shl (local.get $l) (i32.const 3))) (f64.promote_f32 (local.get $new)))
        (if (local.get $trainBias)
          (then
            (local.set $v (f64.promote_f32 (f32.load (i32.add (local.get $bias) (local.get $at)))))
            (f32.store (i32.add (local.get $bias) (local.get $at)) (f32.demote_f64 (f64.sub (local.get $v) (f64.mul (local.get $lr)
              (f64.add (f64.promote_f32 (f32.load offset=64 (i32.add (local.get $grad) (local.get $at)))) (f64.mul (local.get $wd) (local.get $v)))))))))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $lane))))

  ;; Bit-matrix transpose of packed rows into packed columns, 4 coordinate words at a time (one
  ;; 32×32 bit matrix per lane, Hacker's Delight transpose32 with the LSB-first convention):
  ;; bit (i mod 32) of cols[(⌊i/32⌋·d + k)·4] ⇔ bit (k mod 32) of rows[(i·words + ⌊k/32⌋)·4].
  ;; Rows [0, nRowsPad) must be readable (rows past the batch zeroed by the host) and 12 bytes past
  ;; the last row too (lanes past `words` read garbage that is never stored). scratch: 512 bytes.
  (func (export "transpose") (param $rows i32) (param $nRowsPad i32) (param $words i32) (param $d i32)
    (param $cols i32) (param $scratch i32)
    (local $sw i32) (local $w i32) (local $r i32) (local $j i32) (local $k i32) (local $l i32)
    (local $m v128) (local $a v128) (local $b v128) (local $t v128)
    (local $src i32) (local $dst i32) (local $n i32) (local $c i32) (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $words) (i32.const 2)))
    (block $end
      (br_if $end (i32.eqz (local.get $nRowsPad)))
      (loop $sample
        (local.set $w (i32.const 0))
        (loop $wordq
          ;; load 32 rows × lanes (words w … w+3)
          (local.set $src (i32.add (local.get $rows)
            (i32.add (i32.mul (i32.shl (local.get $sw) (i32.const 5)) (local.get $rowBytes)) (i32.shl (local.get $w) (i32.const 2)))))
          (local.set $r (i32.const 0))
          (loop $load
            (v128.store (i32.add (local.get $scratch) (i32.shl (local.get $r) (i32.const 4))) (v128.load align=4 (local.get $src)))
            (local.set $src (i32.add (local.get $src) (local.get $rowBytes)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br_if $load (i32.lt_u (local.get $r) (i32.const 32))))
          ;; five swap stages: j = 16, 8, 4, 2, 1
          (local.set $j (i32.const 16))
          (local.set $m (i32x4.splat (i32.const 0x0000ffff)))
          (loop $stage
            (local.set $k (i32.const 0))
            (loop $pair
              (if (i32.eqz (i32.and (local.get $k) (local.get $j)))
                (then
                  (local.set $a (v128.load (i32.add (local.get $scratch) (i32.shl (local.get $k) (i32.const 4)))))
                  (local.set $b (v128.load (i32.add (local.get $scratch) (i32.shl (i32.add (local.get $k) (local.get $j)) (i32.const 4)))))
                  (local.set $t (v128.and (v128.xor (i32x4.shr_u (local.get $a) (local.get $j)) (local.get $b)) (local.get $m)))
                  (v128.store (i32.add (local.get $scratch) (i32.shl (local.get $k) (i32.const 4)))
                    (v128.xor (local.get $a) (i32x4.shl (local.get $t) (local.get $j))))
                  (v128.store (i32.add (local.get $scratch) (i32.shl (i32.add (local.get $k) (local.get $j)) (i32.const 4)))
                    (v128.xor (local.get $b) (local.get $t)))))
              (local.set $k (i32.add (local.get $k) (i32.const 1)))
              (br_if $pair (i32.lt_u (local.get $k) (i32.const 32))))
            (local.set $j (i32.shr_u (local.get $j) (i32.const 1)))
            (local.set $m (v128.xor (local.get $m) (i32x4.shl (local.get $m) (local.get $j))))
            (br_if $stage (local.get $j)))
          ;; store lane l = word w + l: columns 32(w+l) … min(d, 32(w+l)+32) − 1
          (local.set $l (i32.const 0))
          (loop $lane
            (local.set $c (i32.shl (i32.add (local.get $w) (local.get $l)) (i32.const 5)))
            (local.set $n (i32.sub (local.get $d) (local.get $c)))
            (if (i32.gt_s (local.get $n) (i32.const 32)) (then (local.set $n (i32.const 32))))
            (local.set $dst (i32.add (local.get $cols)
              (i32.shl (i32.add (i32.mul (local.get $sw) (local.get $d)) (local.get $c)) (i32.const 2))))
            (local.set $r (i32.const 0))
            (block $lanesDone
              (br_if $lanesDone (i32.le_s (local.get $n) (i32.const 0)))
              (loop $col
                (i32.store (local.get $dst) (i32.load (i32.add (i32.add (local.get $scratch) (i32.shl (local.get $r) (i32.const 4))) (i32.shl (local.get $l) (i32.const 2)))))
                (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
                (local.set $r (i32.add (local.get $r) (i32.const 1)))
                (br_if $col (i32.lt_u (local.get $r) (local.get $n)))))
            (local.set $l (i32.add (local.get $l) (i32.const 1)))
            (br_if $lane (i32.lt_u (local.get $l) (i32.const 4))))
          (local.set $w (i32.add (local.get $w) (i32.const 4)))
          (br_if $wordq (i32.lt_u (local.get $w) (local.get $words))))
        (local.set $sw (i32.add (local.get $sw) (i32.const 1)))
        (br_if $sample (i32.lt_u (i32.shl (local.get $sw) (i32.const 5)) (local.get $nRowsPad)))))))
