/// NCMEC CyberTipline report XML (in and out) and CyberTip JSON (in).
public enum CaseNCMEC {}
