#!/usr/bin/env python3
"""Counts the look-alike pairs each shape rule of lib/fields/shape.c gives
(docs/han-data.md's table), from the Unicode Han Database as Debian's
unicode-data installs it.

    /usr/bin/python3 tools/count_lookalikes.py [/usr/share/unicode]
"""
import bz2
import collections
import itertools
import sys

UNIHAN = (sys.argv[1] if len(sys.argv) > 1 else "/usr/share/unicode") + \
    "/Unihan_DictionaryLikeData.txt.bz2"
fc = collections.defaultdict(list); cj = {}
core=set()
for line in bz2.open(UNIHAN,'rt'):
    if line.startswith('#') or not line.strip(): continue
    u,k,v = line.rstrip('\n').split('\t')
    cp=int(u[2:],16)
    if not (0x3400<=cp<=0x9FFF): continue
    if k=='kFourCornerCode':
        for c in v.split(): fc[cp].append(c)
    elif k=='kCangjie': cj[cp]=v
    elif k=='kUnihanCore2020' and 'G' in v: core.add(cp)
def count(sel):
    cls=collections.defaultdict(set)
    cls4=collections.defaultdict(set)
    for cp in sel:
        for c in fc.get(cp,[]): cls[c].add(cp); cls4[c[:4]].add(cp)
    pa=set()
    for s in cls.values():
        for a,b in itertools.combinations(sorted(s),2): pa.add((a,b))
    pa4=sum(len(s)*(len(s)-1)//2 for s in cls4.values())
    # cangjie sub dist1 same length>=3
    bylen=collections.defaultdict(set)
    for cp in sel:
        c=cj.get(cp)
        if c and len(c)>=3:
            for i in range(len(c)): bylen[c[:i]+'*'+c[i+1:]].add(cp)
    pb=set()
    for s in bylen.values():
        for a,b in itertools.combinations(sorted(s),2):
            if cj[a]!=cj[b] or True: pb.add((a,b))
    # cangjie one letter added, the longer code of 3 letters or more
    byc=collections.defaultdict(set)
    for cp in sel:
        if cp in cj: byc[cj[cp]].add(cp)
    pc=set()
    for cp in sel:
        c=cj.get(cp)
        if not c or len(c)<3: continue
        for i in range(len(c)):
            for o in byc.get(c[:i]+c[i+1:],()): pc.add((min(cp,o),max(cp,o)))
    # same cangjie any length
    same=collections.defaultdict(set)
    for cp in sel:
        if cp in cj: same[cj[cp]].add(cp)
    ps=sum(len(s)*(len(s)-1)//2 for s in same.values())
    print(len(sel),'chars; 4c(5 digit) pairs',len(pa),'4c(4 digit) pairs',pa4,'cangjie sub1 len>=3',len(pb),'same cangjie',ps,'union A|B',len(pa|pb),
          'cangjie one added, longer>=3',len(pc),'union A|B|C',len(pa|pb|pc),
          'chars w/ 4c',sum(1 for c in sel if c in fc),'w/ cj',sum(1 for c in sel if c in cj))
allc=set(fc)|set(cj)
count(allc); count(core)
