import CLibXML2
import Synchronization

/// Process-wide libxml2 hardening: initialises the parser once, installs an external-entity loader that refuses
/// every URL (files, HTTP, FTP, catalogues), and routes libxml2's global error output away from stderr.
///
/// Every CaseXML entry point (reader, schema, HTML) calls `install()`; it is idempotent and thread-safe.
public enum XMLSecurity {
  private static let once: Void = {
    xmlInitParser()
    xmlSetExternalEntityLoader(refusingEntityLoader)
    casebridge_silenceDefaultErrors()
  }()

  /// Loads the libxml2 hardening once; later calls only silence libxml2's error output on the calling thread.
  public static func install() {
    _ = once
    casebridge_silenceThreadErrors()
  }

  /// How many external loads libxml2 asked for and was refused, since the process started (diagnostics, tests).
  public static var refusedLoads: Int { refusals.load(ordering: .relaxed) }

  static let refusals = Atomic<Int>(0)
}

/// The process-wide external-entity loader: refuses everything, so no DTD, entity, XInclude or schema import is
/// ever fetched from a file or the network, whatever options a caller passes.
private func refusingEntityLoader(
  _ url: UnsafePointer<CChar>?, _ id: UnsafePointer<CChar>?, _ ctxt: xmlParserCtxtPtr?
) -> xmlParserInputPtr? {
  XMLSecurity.refusals.add(1, ordering: .relaxed)
  return nil
}
