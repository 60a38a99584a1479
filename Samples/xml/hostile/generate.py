#!/usr/bin/env python3
"""Regenerates the hostile XML fixtures of this folder (synthetic data only). Run from this folder."""
import gzip

def w(name, data):
    with open(name, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))

RECORDS = """  <Incident id="1"><Title>First</Title></Incident>
  <Incident id="2"><Title>Second</Title></Incident>
"""

w("billion-laughs.xml", """<?xml version="1.0"?>
<!DOCTYPE Export [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Export>
  <Incident id="1"><Title>&lol9;</Title></Incident>
</Export>
""")

big = "A" * 10000
w("quadratic-blowup.xml", '<?xml version="1.0"?>\n<!DOCTYPE Export [\n  <!ENTITY a "' + big + '">\n]>\n<Export>\n  <Incident id="1"><Title>'
  + "&a;" * 2000 + "</Title></Incident>\n</Export>\n")

w("xxe-file.xml", """<?xml version="1.0"?>
<!DOCTYPE Export [
  <!ENTITY xxe SYSTEM "file:///etc/hostname">
]>
<Export>
  <Incident id="1"><Title>&xxe;</Title></Incident>
</Export>
""")

w("xxe-url.xml", """<?xml version="1.0"?>
<!DOCTYPE Export [
  <!ENTITY xxe SYSTEM "http://127.0.0.1:9/casebridge-canary.txt">
]>
<Export>
  <Incident id="1"><Title>&xxe;</Title></Incident>
</Export>
""")

w("parameter-entity.xml", """<?xml version="1.0"?>
<!DOCTYPE Export [
  <!ENTITY % remote SYSTEM "http://127.0.0.1:9/casebridge-canary.dtd">
  %remote;
]>
<Export>
""" + RECORDS + "</Export>\n")

w("external-dtd-file.xml", '<?xml version="1.0"?>\n<!DOCTYPE Export SYSTEM "file:///etc/hostname">\n<Export>\n' + RECORDS + "</Export>\n")
w("external-dtd-url.xml", '<?xml version="1.0"?>\n<!DOCTYPE Export PUBLIC "-//Example//DTD Export//EN" "http://127.0.0.1:9/casebridge-canary.dtd">\n<Export>\n' + RECORDS + "</Export>\n")

w("xinclude.xml", """<?xml version="1.0"?>
<Export xmlns:xi="http://www.w3.org/2001/XInclude">
  <Incident id="1"><Title>First</Title></Incident>
  <Incident id="2"><Title><xi:include href="file:///etc/hostname" parse="text"/></Title></Incident>
</Export>
""")

w("stylesheet-pi.xml", '<?xml version="1.0"?>\n<?xml-stylesheet type="text/xsl" href="http://127.0.0.1:9/casebridge-canary.xsl"?>\n<Export>\n' + RECORDS + "</Export>\n")

w("deep-nesting.xml", "<Export>" + "<a>" * 100000 + "</a>" * 100000 + "</Export>\n")

w("huge-text.xml", '<?xml version="1.0"?>\n<Export>\n  <Incident id="1"><Title>' + "A" * (1 << 21) + "</Title></Incident>\n</Export>\n")

with open("gzip-input.xml", "wb") as f:
    with gzip.GzipFile(fileobj=f, mode="wb", mtime=0, filename="") as g:
        g.write(('<?xml version="1.0"?>\n<Export>\n' + RECORDS * 500 + "</Export>\n").encode())

w("not-well-formed.xml", """<?xml version="1.0"?>
<Export>
  <Incident id="1"><Title>First</Title></Incident>
  <Incident id="2"><Title>Second</Titel></Incident>
  <Incident id="3"><Title>Third</Title></Incident>
</Export>
""")

w("wrong-encoding.xml", b'<?xml version="1.0" encoding="UTF-8"?>\n<Export>\n  <Incident id="1"><Title>Caf\xe9 Example</Title></Incident>\n</Export>\n')

utf16 = '<?xml version="1.0" encoding="UTF-16"?>\n<Export>\n  <Incident id="1"><Title>Caf\u00e9 \U0001F600</Title></Incident>\n  <Incident id="2"><Title>Second</Title></Incident>\n</Export>\n'
w("utf16le-bom.xml", b"\xff\xfe" + utf16.encode("utf-16-le"))
w("utf16be-bom.xml", b"\xfe\xff" + utf16.encode("utf-16-be"))

w("invalid-charref.xml", '<?xml version="1.0"?>\n<Export>\n  <Incident id="1"><Title>First</Title></Incident>\n  <Incident id="2"><Title>nul &#0; here</Title></Incident>\n</Export>\n')

w("control-character.xml", b'<?xml version="1.0"?>\n<Export>\n  <Incident id="1"><Title>bell \x07 here</Title></Incident>\n</Export>\n')

w("undeclared-entity.xml", '<?xml version="1.0"?>\n<Export>\n  <Incident id="1"><Title>&secret;</Title></Incident>\n</Export>\n')

w("split-text-cdata.xml", """<?xml version="1.0"?>
<Export>
  <Incident id="1"><Title>Jane <![CDATA[<Example>]]> &amp; <!-- comment -->Testy<?pi x?> McTestface</Title></Incident>
</Export>
""")

w("duplicate-child.xml", """<?xml version="1.0"?>
<Export>
  <Incident id="1"><Title>First</Title></Incident>
  <Incident id="2"><Title>Second</Title><Title>Second again</Title></Incident>
  <Incident id="3"><Title>Third</Title></Incident>
</Export>
""")

w("duplicate-child.xsd", """<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <xs:element name="Incident">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="Title" type="xs:string"/>
      </xs:sequence>
      <xs:attribute name="id" type="xs:positiveInteger" use="required"/>
    </xs:complexType>
  </xs:element>
</xs:schema>
""")

w("empty.xml", b"")
w("no-root.xml", '<?xml version="1.0"?>\n<!-- nothing here -->\n')
