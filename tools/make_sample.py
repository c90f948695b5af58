#!/usr/bin/env python3
"""Writes the sample data of the quick start (standard library only):

  examples/data/registry_sample.csv  a preschool registry (学前学籍) of 300 children,
                                     as a provincial database exports it: UTF-8, LF,
                                     standard spellings, valid ID numbers
  examples/data/roster_sample.csv    a primary school's intake roster (调档名单) of 41
                                     rows, as a school saves it from Excel ("CSV UTF-8":
                                     BOM, CRLF) with what schools really type: mixed date
                                     and gender spellings, full-width digits, a lower-case
                                     x, dot variants in a minority name, a Traditional
                                     character, typos, missing and mangled ID numbers

Deterministic: a fixed-seed generator of its own (not `random`, whose sequences may
change between Python versions), so running it again gives the same bytes.
Every ID number is built with its ISO 7064 MOD 11-2 check character, except those
the roster spoils on purpose (each such row says so in its 备注 column).

Usage: tools/make_sample.py [OUTPUT_DIR]   (default: examples/data beside this script)
"""
import csv
import datetime
import io
import os
import sys

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"

# County-level codes of GB/T 2260 (110103 崇文区 was abolished in 2010: people keep it).
REGIONS = ["360426", "440305", "110108", "510104", "530102", "420106", "320102",
           "330106", "370202", "410105", "430104", "350203", "610113", "110103"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁"
GIVEN_MALE = ["浩然", "雨轩", "一诺", "思远", "宇航", "俊熙", "沐阳", "天佑", "梓睿", "明轩",
              "博文", "子涵", "晨", "宇", "睿", "鑫"]
GIVEN_FEMALE = ["子涵", "欣怡", "梓萱", "一诺", "语桐", "若曦", "嘉怡", "诗涵", "佳琪", "可馨",
                "雨桐", "思琪", "晨", "彤", "悦"]


class Lcg:
    """64-bit linear congruential generator (Knuth's MMIX constants)."""

    def __init__(self, seed):
        self.state = seed

    def next(self, n):
        self.state = (self.state * 6364136223846793005 + 1442695040888963407) % (1 << 64)
        return (self.state >> 33) % n


def check_char(first17):
    return CHECK[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def citizen_id(region, born, seq):
    body = "%s%s%03d" % (region, born.strftime("%Y%m%d"), seq)
    return body + check_char(body)


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in s)


class Child:
    def __init__(self, rid, name, male, born, id_type, id_number, nation="汉族"):
        self.rid, self.name, self.male, self.born = rid, name, male, born
        self.id_type, self.id_number, self.nation = id_type, id_number, nation

    @property
    def gender(self):
        return "男" if self.male else "女"


def make_registry(rng):
    start = datetime.date(2018, 1, 1)
    children, used = [], set()

    def add(name=None, male=None, born=None, region=None, want_x=False, id_type="居民身份证",
            nation="汉族", number=None):
        male = rng.next(2) == 1 if male is None else male
        if name is None:
            given = GIVEN_MALE if male else GIVEN_FEMALE
            name = SURNAMES[rng.next(len(SURNAMES))] + given[rng.next(len(given))]
        born = born or start + datetime.timedelta(days=rng.next(600))
        region = region or REGIONS[rng.next(len(REGIONS))]
        while number is None:
            seq = rng.next(500) * 2 + (1 if male else 0)
            candidate = citizen_id(region, born, seq)
            if candidate not in used and (not want_x or candidate.endswith("X")):
                number = candidate
        used.add(number)
        rid = "XQ%s%05d" % (region if number[:6].isdigit() else "000000", len(children) + 1)
        children.append(Child(rid, name, male, born, id_type, number, nation))
        return children[-1]

    special = [
        add("阿依古丽·买买提", male=False, region="650102", nation="维吾尔族"),
        add("麦麦提·艾力", male=True, region="650102", nation="维吾尔族"),
        add("陈思远", male=True),
        add("张子涵", male=False),
        add("刘䶮", male=True),  # 䶮 (U+4DAE) is outside GB2312: schools type a placeholder
        add("林嘉怡", male=False, want_x=True),
        add("欧阳雨轩", male=True),
        add("黄天佑", male=True, region="810000", id_type="港澳台居民居住证"),
        add("Emily Clark", male=False, id_type="护照", nation="", number="E12345678"),
        add("吴梓睿", male=True, id_type="户口簿"),
    ]
    for _ in range(230):
        add()
    # Namesakes: the most common names again, other children.
    for name, male in [("张子涵", False), ("张子涵", True), ("王子涵", False), ("陈思远", True),
                       ("李一诺", False)]:
        add(name, male=male)
    twice = children[200]  # a child registered twice by two kindergartens
    children.append(Child("XQ%s%05d" % (twice.id_number[:6], len(children) + 1), twice.name,
                          twice.male, twice.born, twice.id_type, twice.id_number))
    while len(children) < 300:
        add()
    return children, special


def make_roster(rng, reg, special):
    """Rows of (姓名, 性别, 出生日期, 身份证件类型, 身份证件号, 备注)."""
    aygl, mmt, csy, zzh, liuyan, ljy, oyyx, hty, emily, wzr = special
    plain = reg[10:60]  # ordinary children, taken in order
    rows = []

    def std(c):
        return [c.name, c.gender, c.born.isoformat(), c.id_type, c.id_number, ""]

    def typo(number, pos, digit):
        return number[:pos] + digit + number[pos + 1:]

    for c in plain[:8]:  # as the registry has them
        rows.append(std(c))
    c = plain[8]
    rows.append([c.name, c.gender, "%d/%d/%d" % (c.born.year, c.born.month, c.born.day),
                 "身份证", c.id_number, ""])
    c = plain[9]
    rows.append([c.name, c.gender, c.born.strftime("%Y%m%d"), "1", c.id_number, ""])
    c = plain[10]
    rows.append([c.name, c.gender + "性", "%d年%d月%d日" % (c.born.year, c.born.month, c.born.day),
                 "居民身份证", c.id_number, ""])
    c = plain[11]
    rows.append([c.name, "1" if c.male else "2", c.born.strftime("%Y.%m.%d"), "1", c.id_number,
                 "性别填代码"])
    c = plain[12]
    excel_serial = (c.born - datetime.date(1899, 12, 30)).days
    rows.append([c.name, c.gender, str(excel_serial), "居民身份证", c.id_number,
                 "出生日期为Excel序列号"])
    rows.append([aygl.name.replace("·", "."), aygl.gender, aygl.born.isoformat(), "居民身份证",
                 aygl.id_number, "姓名间隔号写成英文句点"])
    rows.append([mmt.name.replace("·", "•"), mmt.gender, mmt.born.isoformat(), "身份证",
                 mmt.id_number, ""])
    rows.append(["陳思远", csy.gender, csy.born.isoformat(), "居民身份证", csy.id_number,
                 "繁体字"])
    rows.append([ljy.name, ljy.gender, ljy.born.isoformat(), "居民身份证",
                 ljy.id_number.lower(), "校验码小写x"])
    c = plain[13]
    rows.append([c.name, c.gender, c.born.isoformat(), "居民身份证", fullwidth(c.id_number),
                 "全角数字"])
    c = plain[14]
    n = c.id_number
    rows.append([c.name, c.gender, c.born.isoformat(), "居民身份证",
                 "%s %s %s" % (n[:6], n[6:14], n[14:]), "号码中有空格"])
    c = plain[15]
    rows.append([c.name[0] + " " + c.name[1:], c.gender, c.born.isoformat(), "居民身份证",
                 c.id_number, "姓与名之间有空格"])
    c = plain[16]
    rows.append(["\u3000" + c.name + " ", c.gender, c.born.isoformat(), "居民身份证", c.id_number,
                 "全角空格"])
    rows.append(["张子含", zzh.gender, zzh.born.isoformat(), "居民身份证", zzh.id_number,
                 "同音字：涵写成含"])
    rows.append(["刘?", liuyan.gender, liuyan.born.isoformat(), "居民身份证", liuyan.id_number,
                 "生僻字用?代替"])
    rows.append([wzr.name, wzr.gender, wzr.born.isoformat(), "户口薄", wzr.id_number,
                 "户口簿写成户口薄"])
    c = plain[17]
    rows.append([c.name, c.gender, c.born.isoformat(), "", c.id_number, "证件类型未填"])
    c = plain[18]
    wrong = "0" if c.id_number[14] != "0" else "1"
    rows.append([c.name, c.gender, c.born.isoformat(), "居民身份证", typo(c.id_number, 14, wrong),
                 "证件号录入错误（一位数字）"])
    c = plain[19]
    n = c.id_number
    swapped = n[:3] + n[4] + n[3] + n[5:] if n[3] != n[4] else n[:2] + n[3] + n[2] + n[4:]
    rows.append([c.name, c.gender, c.born.isoformat(), "居民身份证", swapped,
                 "证件号相邻两位颠倒"])
    c = plain[20]
    rows.append([c.name, c.gender, c.born.isoformat(), "居民身份证", c.id_number[:17],
                 "证件号少一位"])
    c = plain[21]
    rows.append([c.name, c.gender, c.born.isoformat(), "", "", "无身份证件号"])
    c = plain[22]
    rows.append([c.name, c.gender, (c.born + datetime.timedelta(days=1)).isoformat(),
                 "居民身份证", c.id_number, "出生日期与证件号差一天"])
    c = plain[23]
    rows.append([c.name, "女" if c.male else "男", c.born.isoformat(), "居民身份证", c.id_number,
                 "性别填错"])
    c = plain[24]
    rows.append([c.name, c.gender, "%d-%02d-%02d" % (c.born.year, c.born.day, c.born.month)
                 if c.born.day <= 12 and c.born.day != c.born.month else "2018-02-30",
                 "居民身份证", c.id_number, "出生日期月日颠倒或不存在"])
    c = plain[25]
    rows.append([c.name + "2", c.gender, c.born.isoformat(), "居民身份证", c.id_number,
                 "姓名中混入数字"])
    c = plain[26]
    rows.append([c.name, "-", c.born.isoformat(), "居民身份证", c.id_number, "性别填了横线"])
    c = plain[27]
    rows.append([c.name, c.gender, c.born.isoformat(), "居民身份证",
                 "%.5E" % (int(c.id_number[:17]) * 10), "Excel把证件号变成了科学计数法"])
    c = plain[28]
    rows.append([c.name, c.gender, c.born.isoformat(), "居民身份证", "'" + c.id_number,
                 "证件号前有英文单引号"])
    rows.append([hty.name, hty.gender, hty.born.isoformat(), "港澳台居民居住证", hty.id_number,
                 "香港居民居住证"])
    rows.append([emily.name.upper(), emily.gender, emily.born.isoformat(), "护照",
                 emily.id_number.lower(), "外籍，护照号小写"])
    rows.append([oyyx.name, oyyx.gender, oyyx.born.isoformat(), "居民身份证", oyyx.id_number,
                 "复姓；备注含逗号,需加引号"])
    twice = reg[200]
    rows.append(std(twice)[:5] + ["学前系统中重复建籍"])
    # Children who never went to a registered kindergarten.
    for name, male, born, region in [("孙浩然", True, datetime.date(2018, 10, 2), "440305"),
                                     ("郭欣怡", False, datetime.date(2019, 1, 17), "110108"),
                                     ("王子涵", False, datetime.date(2018, 6, 30), "320102")]:
        seq = 700 + rng.next(100) * 2 + (1 if male else 0)
        rows.append([name, "男" if male else "女", born.isoformat(), "居民身份证",
                     citizen_id(region, born, seq), "未上过登记在册的幼儿园"])
    return rows


def write_csv(path, header, rows, excel):
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n" if excel else "\n")
    writer.writerow(header)
    writer.writerows(rows)
    with open(path, "w", encoding="utf-8-sig" if excel else "utf-8", newline="") as f:
        f.write(buf.getvalue())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "examples", "data")
    os.makedirs(out, exist_ok=True)
    rng = Lcg(20250901)
    reg, special = make_registry(rng)
    roster = make_roster(rng, reg, special)
    write_csv(os.path.join(out, "registry_sample.csv"),
              ["学前学籍ID", "姓名", "性别", "出生日期", "身份证件类型", "身份证件号", "民族"],
              [[c.rid, c.name, c.gender, c.born.isoformat(), c.id_type, c.id_number, c.nation]
               for c in reg], excel=False)
    write_csv(os.path.join(out, "roster_sample.csv"),
              ["序号", "姓名", "性别", "出生日期", "身份证件类型", "身份证件号", "备注"],
              [[str(i + 1)] + r for i, r in enumerate(roster)], excel=True)
    print("%d registry records, %d roster rows" % (len(reg), len(roster)))


if __name__ == "__main__":
    main()
