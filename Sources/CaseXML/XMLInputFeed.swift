import CLibXML2
import CaseInterchange
#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What libxml2 reads: the bytes of a `ChunkedFile`, passed through the structure scanner just before they are
/// handed over. CaseBridge reads the file itself; libxml2 never gets a path, a URL or the whole file.
final class XMLInputFeed {
  let file: ChunkedFile
  var scanner: XMLStructureScanner
  private var chunk = UnsafeRawBufferPointer(start: nil, count: 0)
  private var position = 0
  /// Bytes read before libxml2 started (only when the first chunk was shorter than 4 bytes).
  private var head: [UInt8] = []
  private var headPosition = 0
  private(set) var ioError: FormatError?
  private(set) var atEOF = false

  init(file: ChunkedFile) {
    self.file = file
    scanner = XMLStructureScanner(encoding: .utf8, bomBytes: 0, selector: .root, limits: XMLLimits(), keepsTagPositions: false)
  }

  /// Reads the start of the input; returns its first (up to) 4 bytes for sniffing.
  func prime() throws(FormatError) -> [UInt8] {
    chunk = try file.nextChunk()
    position = 0
    if chunk.isEmpty { atEOF = true }
    if chunk.count >= 4 || chunk.isEmpty { return Array(chunk.prefix(4)) }
    head.append(contentsOf: chunk)
    chunk = UnsafeRawBufferPointer(start: nil, count: 0)
    while head.count < 4 {
      let c = try file.nextChunk()
      if c.isEmpty {
        atEOF = true
        break
      }
      head.append(contentsOf: c)
    }
    return Array(head.prefix(4))
  }

  /// libxml2's read callback: fills `buffer` with at most `length` bytes; 0 is the end of input, -1 an error.
  func read(into buffer: UnsafeMutablePointer<CChar>, length: Int) -> Int32 {
    while true {
      if scanner.stop != nil { return 0 }
      if headPosition < head.count {
        let n = min(length, head.count - headPosition)
        let pass = head.withUnsafeBufferPointer { b in
          let p = b.baseAddress! + headPosition
          let pass = scanner.scan(p, n)
          memcpy(buffer, p, pass)
          return pass
        }
        headPosition += n
        return Int32(pass)
      }
      if position < chunk.count {
        let n = min(length, chunk.count - position)
        let p = chunk.baseAddress!.assumingMemoryBound(to: UInt8.self) + position
        let pass = scanner.scan(p, n)
        memcpy(buffer, p, pass)
        position += n
        return Int32(pass)
      }
      if atEOF { return 0 }
      do {
        chunk = try file.nextChunk()
      } catch {
        ioError = error
        return -1
      }
      position = 0
      if chunk.isEmpty {
        atEOF = true
        return 0
      }
    }
  }

  var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

func xmlFeedRead(_ ctx: UnsafeMutableRawPointer?, _ buffer: UnsafeMutablePointer<CChar>?, _ length: Int32) -> Int32 {
  guard let ctx, let buffer, length > 0 else { return 0 }
  return Unmanaged<XMLInputFeed>.fromOpaque(ctx).takeUnretainedValue().read(into: buffer, length: Int(length))
}

func xmlFeedClose(_ ctx: UnsafeMutableRawPointer?) -> Int32 { 0 }
