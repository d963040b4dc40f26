// The contact form's light proof of work (domain/gateway_pow.py): find a nonce such that
// SHA-256("challenge:nonce") starts with the challenge's number of zero bits, in small slices so
// the page stays responsive. SHA-256 is written out here: crypto.subtle needs HTTPS, and a
// gateway on a local network may not have it. Without JavaScript the form works as before.
(function () {
  "use strict";
  var form = document.querySelector("input[name=pow_challenge]");
  var out = document.querySelector("input[name=pow_nonce]");
  if (!form || !out || !form.value) { return; }
  var challenge = form.value;
  var bits = parseInt(challenge.split(".")[1], 10);
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];
  function rotr(x, n) { return (x >>> n) | (x << (32 - n)); }
  // SHA-256 of an ASCII string (the challenge and the nonce are ASCII): the first 32-bit word
  // of the digest is all the check needs (bits is at most 32)
  function firstWord(text) {
    var n = text.length, words = [], i, j;
    var blocks = ((n + 9 + 63) >> 6) << 4;
    for (i = 0; i < blocks; i++) { words[i] = 0; }
    for (i = 0; i < n; i++) { words[i >> 2] |= text.charCodeAt(i) << (24 - (i % 4) * 8); }
    words[n >> 2] |= 0x80 << (24 - (n % 4) * 8);
    words[blocks - 1] = n * 8;
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var w = new Array(64);
    for (i = 0; i < blocks; i += 16) {
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (j = 0; j < 64; j++) {
        if (j < 16) { w[j] = words[i + j]; } else {
          var s0 = rotr(w[j - 15], 7) ^ rotr(w[j - 15], 18) ^ (w[j - 15] >>> 3);
          var s1 = rotr(w[j - 2], 17) ^ rotr(w[j - 2], 19) ^ (w[j - 2] >>> 10);
          w[j] = (w[j - 16] + s0 + w[j - 7] + s1) | 0;
        }
        var t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[j] + w[j]) | 0;
        var t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h[0] >>> 0;
  }
  var limit = Math.pow(2, 32 - bits);
  var nonce = 0;
  function work() {
    var until = nonce + 4000;
    for (; nonce < until; nonce++) {
      if (firstWord(challenge + ":" + nonce) < limit) { out.value = String(nonce); return; }
    }
    setTimeout(work, 0);
  }
  setTimeout(work, 0);
})();
