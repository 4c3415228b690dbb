;; The two lane-wise passes of the certified event search (kernel/marginBounds.ts) over the SIMD
;; kernel's transposed weights and test pre-activations, in the memory and item layout of
;; shardKernel.wat (16 f32 lanes per item, 64 bytes, lane l = neuron l of the block). Both only read
;; what the step kernel wrote; nothing here feeds back into training.
(module
  (import "env" "memory" (memory 1))

  ;; Per lane, over coordinates k = 3 … d−1 of one block (items 64 bytes apart from wt and ref):
  ;;   out item 0 = Σ |wt_k − ref_k|,  item 1 = Σ |wt_k|,  item 2 = Σ |ref_k|   (f32, ascending k).
  ;; The host inflates these f32 sums into rigorous upper bounds (kernel/marginBounds.ts).
  (func (export "driftBlock") (param $wt i32) (param $ref i32) (param $d i32) (param $out i32)
    (local $q i32) (local $p i32) (local $s i32) (local $end i32) (local $w v128) (local $r v128)
    (local $dv v128) (local $nt v128) (local $nr v128)
    (loop $quad
      (local.set $dv (v128.const i32x4 0 0 0 0))
      (local.set $nt (v128.const i32x4 0 0 0 0))
      (local.set $nr (v128.const i32x4 0 0 0 0))
      (local.set $p (i32.add (i32.add (local.get $wt) (local.get $q)) (i32.const 192)))
      (local.set $s (i32.add (i32.add (local.get $ref) (local.get $q)) (i32.const 192)))
      (local.set $end (i32.add (i32.add (local.get $wt) (local.get $q)) (i32.shl (local.get $d) (i32.const 6))))
      (block $done
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (loop $coord
          (local.set $w (v128.load (local.get $p)))
          (local.set $r (v128.load (local.get $s)))
          (local.set $dv (f32x4.add (local.get $dv) (f32x4.abs (f32x4.sub (local.get $w) (local.get $r)))))
          (local.set $nt (f32x4.add (local.get $nt) (f32x4.abs (local.get $w))))
          (local.set $nr (f32x4.add (local.get $nr) (f32x4.abs (local.get $r))))
          (local.set $p (i32.add (local.get $p) (i32.const 64)))
          (local.set $s (i32.add (local.get $s) (i32.const 64)))
          (br_if $coord (i32.lt_u (local.get $p) (local.get $end)))))
      (v128.store offset=0 (i32.add (local.get $out) (local.get $q)) (local.get $dv))
      (v128.store offset=64 (i32.add (local.get $out) (local.get $q)) (local.get $nt))
      (v128.store offset=128 (i32.add (local.get $out) (local.get $q)) (local.get $nr))
      (local.set $q (i32.add (local.get $q) (i32.const 16)))
      (br_if $quad (i32.lt_u (local.get $q) (i32.const 64)))))

  ;; The second layer's part of the outputs at the reference pre-activations, for one block:
  ;;   pOut[i] = Σ_(lanes l) a_l · σ(z_il)   (f32 products and sums, stored as f64),
  ;; σ(z) = max(z, slope·z) (slope ∈ [0, 1]); z items 64 bytes apart as forwardBlock4/8 store them.
  ;; The host bounds this sum's rounding (kernel/marginBounds.ts).
  (func (export "secondLayerBlock") (param $z i32) (param $nRows i32) (param $a32 i32) (param $slope f32) (param $pOut i32)
    (local $end i32) (local $sl v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $v v128) (local $s v128)
    (if (i32.eqz (local.get $nRows)) (then (return)))
    (local.set $sl (f32x4.splat (local.get $slope)))
    (local.set $a0 (v128.load offset=0 (local.get $a32)))
    (local.set $a1 (v128.load offset=16 (local.get $a32)))
    (local.set $a2 (v128.load offset=32 (local.get $a32)))
    (local.set $a3 (v128.load offset=48 (local.get $a32)))
    (local.set $end (i32.add (local.get $pOut) (i32.shl (local.get $nRows) (i32.const 3))))
    (loop $row
      (local.set $v (v128.load offset=0 (local.get $z)))
      (local.set $s (f32x4.mul (local.get $a0) (f32x4.max (local.get $v) (f32x4.mul (local.get $v) (local.get $sl)))))
      (local.set $v (v128.load offset=16 (local.get $z)))
      (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a1) (f32x4.max (local.get $v) (f32x4.mul (local.get $v) (local.get $sl))))))
      (local.set $v (v128.load offset=32 (local.get $z)))
      (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a2) (f32x4.max (local.get $v) (f32x4.mul (local.get $v) (local.get $sl))))))
      (local.set $v (v128.load offset=48 (local.get $z)))
      (local.set $s (f32x4.add (local.get $s) (f32x4.mul (local.get $a3) (f32x4.max (local.get $v) (f32x4.mul (local.get $v) (local.get $sl))))))
      ;; lanes 0+2, 1+3, then the two
      (local.set $s (f32x4.add (local.get $s) (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $s) (local.get $s))))
      (local.set $s (f32x4.add (local.get $s) (i8x16.shuffle 4 5 6 7 0 1 2 3 12 13 14 15 8 9 10 11 (local.get $s) (local.get $s))))
      (f64.store (local.get $pOut) (f64.promote_f32 (f32x4.extract_lane 0 (local.get $s))))
      (local.set $z (i32.add (local.get $z) (i32.const 64)))
      (local.set $pOut (i32.add (local.get $pOut) (i32.const 8)))
      (br_if $row (i32.lt_u (local.get $pOut) (local.get $end)))))

  ;; Per lane, the least and the greatest pre-activation of each of 4 consecutive groups of
  ;; `perGroup` rows of one block (z items 64 bytes apart, as forwardBlock4/8 store them):
  ;;   out + 128·g = min item of group g, out + 128·g + 64 = max item.
  ;; One pass over the rows with all four quads of the item at once: the z of a whole test set
  ;; (4·perGroup·64 bytes per block) is far larger than L1, so each row is read once.
  (func (export "zRangeBlock") (param $z i32) (param $perGroup i32) (param $out i32)
    (local $g i32) (local $p i32) (local $end i32)
    (local $lo0 v128) (local $lo1 v128) (local $lo2 v128) (local $lo3 v128)
    (local $hi0 v128) (local $hi1 v128) (local $hi2 v128) (local $hi3 v128)
    (local $v v128)
    (loop $group
      (local.set $p (local.get $z))
      (local.set $end (i32.add (local.get $p) (i32.shl (local.get $perGroup) (i32.const 6))))
      (local.set $lo0 (v128.load offset=0 (local.get $p)))
      (local.set $lo1 (v128.load offset=16 (local.get $p)))
      (local.set $lo2 (v128.load offset=32 (local.get $p)))
      (local.set $lo3 (v128.load offset=48 (local.get $p)))
      (local.set $hi0 (local.get $lo0))
      (local.set $hi1 (local.get $lo1))
      (local.set $hi2 (local.get $lo2))
      (local.set $hi3 (local.get $lo3))
      (loop $row
        (local.set $v (v128.load offset=0 (local.get $p)))
        (local.set $lo0 (f32x4.min (local.get $lo0) (local.get $v)))
        (local.set $hi0 (f32x4.max (local.get $hi0) (local.get $v)))
        (local.set $v (v128.load offset=16 (local.get $p)))
        (local.set $lo1 (f32x4.min (local.get $lo1) (local.get $v)))
        (local.set $hi1 (f32x4.max (local.get $hi1) (local.get $v)))
        (local.set $v (v128.load offset=32 (local.get $p)))
        (local.set $lo2 (f32x4.min (local.get $lo2) (local.get $v)))
        (local.set $hi2 (f32x4.max (local.get $hi2) (local.get $v)))
        (local.set $v (v128.load offset=48 (local.get $p)))
        (local.set $lo3 (f32x4.min (local.get $lo3) (local.get $v)))
        (local.set $hi3 (f32x4.max (local.get $hi3) (local.get $v)))
        (local.set $p (i32.add (local.get $p) (i32.const 64)))
        (br_if $row (i32.lt_u (local.get $p) (local.get $end))))
      (v128.store offset=0 (local.get $out) (local.get $lo0))
      (v128.store offset=16 (local.get $out) (local.get $lo1))
      (v128.store offset=32 (local.get $out) (local.get $lo2))
      (v128.store offset=48 (local.get $out) (local.get $lo3))
      (v128.store offset=64 (local.get $out) (local.get $hi0))
      (v128.store offset=80 (local.get $out) (local.get $hi1))
      (v128.store offset=96 (local.get $out) (local.get $hi2))
      (v128.store offset=112 (local.get $out) (local.get $hi3))
      (local.set $z (local.get $end))
      (local.set $out (i32.add (local.get $out) (i32.const 128)))
      (local.set $g (i32.add (local.get $g) (i32.const 1)))
      (br_if $group (i32.lt_u (local.get $g) (i32.const 4)))))
)
