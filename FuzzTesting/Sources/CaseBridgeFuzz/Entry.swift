// One libFuzzer binary, one target per run: CASEBRIDGE_FUZZ_TARGET names it (scripts/fuzz.sh runs them all).
// Each target checks the contract, not only "no crash"; a break calls `violation`, which aborts so libFuzzer
// saves the input as a crash artifact (then it becomes a file under FuzzTesting/FailCases/, replayed by a test).
import CaseBridge
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// The repository root (this file is FuzzTesting/Sources/CaseBridgeFuzz/Entry.swift).
let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
  .deletingLastPathComponent().deletingLastPathComponent()

let targetName = ProcessInfo.processInfo.environment["CASEBRIDGE_FUZZ_TARGET"] ?? ""

func violation(_ what: String) -> Never {
  FileHandle.standardError.write(Data("casebridge-fuzz \(targetName): contract broken: \(what)\n".utf8))
  abort()
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  guard let target = FuzzTargets.all[targetName] else {
    violation("unknown target '\(targetName)'; one of: \(FuzzTargets.all.keys.sorted().joined(separator: " "))")
  }
  target(bytes)
  return 0
}
