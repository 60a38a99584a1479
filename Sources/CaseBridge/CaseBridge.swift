// The umbrella module: `import CaseBridge` gives the model, the interchange contracts, the canonical JSON
// readers and writers, CSV, the profile language, XML (CaseBridge XML and the hardened reader), NCMEC and CyberTip,
// provider returns, the validation layer, the pipeline and the bundled schemas.
@_exported public import CaseModel
@_exported public import CaseInterchange
@_exported public import CaseJSON
@_exported public import CaseValidation
@_exported public import CasePipeline
@_exported public import CaseSchemas
@_exported public import CaseCSV
@_exported public import CaseMapping
@_exported public import CaseXML
@_exported public import CaseNCMEC
@_exported public import CaseISP
@_exported public import CaseStore
@_exported public import CaseReport
