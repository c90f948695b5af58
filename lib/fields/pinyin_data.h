/*
 * What the pinyin tables are made of, shared by lib/fields/pinyin.c (the syllable
 * texts, at run time) and tools/gen_han_tables.c (everything, at build
 * time, where it reads ICU's transliterators and writes pinyin_table.h).
 * Only the data lives here, as static const arrays; an includer that does
 * not use one gets no copy of it.
 */
#ifndef XJL_PINYIN_DATA_H
#define XJL_PINYIN_DATA_H

/* Data laid out by hand in columns: clang-format leaves it as it is. */
/* clang-format off */

/* Every toneless syllable ICU's readings use, ü written v.  Sorted, so a
 * syllable's id is its position + 1 (0 means "no reading").  The ids are
 * fixed by this list, not by ICU's data, so a key made of them means the same
 * in every build; a reading ICU gives that is missing here stops the
 * generator (the list must then be extended by hand, in order). */
static const char *const syllables[] = {
    "a", "ai", "an", "ang", "ao", "ba", "bai", "ban", "bang", "bao", "bei", "ben", "beng",
    "bi", "bian", "biao", "bie", "bin", "bing", "bo", "bu", "ca", "cai", "can", "cang", "cao",
    "ce", "cen", "ceng", "cha", "chai", "chan", "chang", "chao", "che", "chen", "cheng", "chi",
    "chong", "chou", "chu", "chua", "chuai", "chuan", "chuang", "chui", "chun", "chuo", "ci",
    "cong", "cou", "cu", "cuan", "cui", "cun", "cuo", "da", "dai", "dan", "dang", "dao", "de",
    "dei", "den", "deng", "di", "dia", "dian", "diao", "die", "ding", "diu", "dong", "dou",
    "du", "duan", "dui", "dun", "duo", "e", "ei", "en", "eng", "er", "fa", "fan", "fang",
    "fei", "fen", "feng", "fiao", "fo", "fou", "fu", "ga", "gai", "gan", "gang", "gao", "ge",
    "gei", "gen", "geng", "gong", "gou", "gu", "gua", "guai", "guan", "guang", "gui", "gun",
    "guo", "ha", "hai", "han", "hang", "hao", "he", "hei", "hen", "heng", "hm", "hng", "hong",
    "hou", "hu", "hua", "huai", "huan", "huang", "hui", "hun", "huo", "ji", "jia", "jian",
    "jiang", "jiao", "jie", "jin", "jing", "jiong", "jiu", "ju", "juan", "jue", "jun", "ka",
    "kai", "kan", "kang", "kao", "ke", "kei", "ken", "keng", "kong", "kou", "ku", "kua",
    "kuai", "kuan", "kuang", "kui", "kun", "kuo", "la", "lai", "lan", "lang", "lao", "le",
    "lei", "leng", "li", "lia", "lian", "liang", "liao", "lie", "lin", "ling", "liu", "lo",
    "long", "lou", "lu", "luan", "lun", "luo", "lv", "lve", "m", "ma", "mai", "man", "mang",
    "mao", "me", "mei", "men", "meng", "mi", "mian", "miao", "mie", "min", "ming", "miu", "mo",
    "mou", "mu", "n", "na", "nai", "nan", "nang", "nao", "ne", "nei", "nen", "neng", "ng",
    "ni", "nian", "niang", "niao", "nie", "nin", "ning", "niu", "nong", "nou", "nu", "nuan",
    "nun", "nuo", "nv", "nve", "o", "ou", "pa", "pai", "pan", "pang", "pao", "pei", "pen",
    "peng", "pi", "pian", "piao", "pie", "pin", "ping", "po", "pou", "pu", "qi", "qia", "qian",
    "qiang", "qiao", "qie", "qin", "qing", "qiong", "qiu", "qu", "quan", "que", "qun", "ran",
    "rang", "rao", "re", "ren", "reng", "ri", "rong", "rou", "ru", "rua", "ruan", "rui", "run",
    "ruo", "sa", "sai", "san", "sang", "sao", "se", "sen", "seng", "sha", "shai", "shan",
    "shang", "shao", "she", "shei", "shen", "sheng", "shi", "shou", "shu", "shua", "shuai",
    "shuan", "shuang", "shui", "shun", "shuo", "si", "song", "sou", "su", "suan", "sui", "sun",
    "suo", "ta", "tai", "tan", "tang", "tao", "te", "tei", "teng", "ti", "tian", "tiao", "tie",
    "ting", "tong", "tou", "tu", "tuan", "tui", "tun", "tuo", "wa", "wai", "wan", "wang",
    "wei", "wen", "weng", "wo", "wu", "xi", "xia", "xian", "xiang", "xiao", "xie", "xin",
    "xing", "xiong", "xiu", "xu", "xuan", "xue", "xun", "ya", "yan", "yang", "yao", "ye", "yi",
    "yin", "ying", "yo", "yong", "you", "yu", "yuan", "yue", "yun", "za", "zai", "zan", "zang",
    "zao", "ze", "zei", "zen", "zeng", "zha", "zhai", "zhan", "zhang", "zhao", "zhe", "zhei",
    "zhen", "zheng", "zhi", "zhong", "zhou", "zhu", "zhua", "zhuai", "zhuan", "zhuang", "zhui",
    "zhun", "zhuo", "zi", "zong", "zou", "zu", "zuan", "zui", "zun", "zuo"
};

/* Syllables of Unihan's readings that ICU never gives, appended after the
 * sorted list (ids N + 1, N + 2, ...) rather than inserted in order: every
 * id above stays what it was, and so do the keys already made of them. */
static const char *const syllables_appended[] = {"len", "nia"};

/* Surnames ICU (Han-Latin/Names, ICU 72) reads as a common word.  Each is
 * the reading 现代汉语词典 gives for the character as a surname (姓) and the
 * one lists of commonly misread surnames agree on. */
static const struct {
    const char *han;
    const char *reading;
} surname_fixes[] = {
    {"朴", "piao"}, /* ICU pu */
    {"覃", "qin"},  /* ICU tan; qín is the standard reading of the surname */
    {"缪", "miao"}, /* ICU mou */
    {"阚", "kan"},  /* ICU han */
    {"乜", "nie"},  /* ICU mie */
    {"都", "du"},   /* ICU dou */
    {"能", "nai"},  /* ICU neng */
    {"句", "gou"},  /* ICU ju */
    {"祭", "zhai"}, /* ICU ji */
    {"洗", "xian"}, /* ICU xi; the surname is also written 冼 */
    {"牟", "mou"},  /* ICU mu, the reading of the place name 牟平 only */
    {"蔚", "yu"},   /* ICU wei */
    {"薄", "bo"},   /* ICU bao */
    {"佴", "nai"},  /* ICU er */
    {"炅", "gui"},  /* ICU jiong */
    {"尉", "wei"},  /* ICU yu, right only in the compound 尉迟 (below) */
};

/* Compound surnames (复姓): the first two characters of a name of three or
 * more are read together.  Several read differently from their characters
 * alone (万俟 mo qi, 尉迟 yu chi, 单于 chan yu, 长孙 zhang sun, 澹台 tan tai,
 * 子车 zi ju, 中行 zhong hang); the others are listed so that they are
 * recognised as surnames (normalize.c uses that for separators). */
static const struct {
    const char *han;
    const char *reading[2];
} compound_list[] = {
    {"万俟", {"mo", "qi"}},      {"尉迟", {"yu", "chi"}},     {"单于", {"chan", "yu"}},
    {"长孙", {"zhang", "sun"}},  {"澹台", {"tan", "tai"}},    {"令狐", {"ling", "hu"}},
    {"子车", {"zi", "ju"}},      {"中行", {"zhong", "hang"}}, {"乐正", {"yue", "zheng"}},
    {"句龙", {"gou", "long"}},   {"欧阳", {"ou", "yang"}},    {"上官", {"shang", "guan"}},
    {"司马", {"si", "ma"}},      {"诸葛", {"zhu", "ge"}},     {"皇甫", {"huang", "fu"}},
    {"东方", {"dong", "fang"}},  {"夏侯", {"xia", "hou"}},    {"公孙", {"gong", "sun"}},
    {"慕容", {"mu", "rong"}},    {"宇文", {"yu", "wen"}},     {"呼延", {"hu", "yan"}},
    {"端木", {"duan", "mu"}},    {"西门", {"xi", "men"}},     {"南宫", {"nan", "gong"}},
    {"独孤", {"du", "gu"}},      {"轩辕", {"xuan", "yuan"}},  {"司徒", {"si", "tu"}},
    {"司空", {"si", "kong"}},    {"闻人", {"wen", "ren"}},    {"东郭", {"dong", "guo"}},
    {"赫连", {"he", "lian"}},    {"百里", {"bai", "li"}},     {"拓跋", {"tuo", "ba"}},
    {"濮阳", {"pu", "yang"}},    {"太史", {"tai", "shi"}},    {"申屠", {"shen", "tu"}},
    {"公羊", {"gong", "yang"}},  {"钟离", {"zhong", "li"}},   {"宗政", {"zong", "zheng"}},
    {"仲孙", {"zhong", "sun"}},  {"鲜于", {"xian", "yu"}},    {"左丘", {"zuo", "qiu"}},
    {"第五", {"di", "wu"}},      {"亓官", {"qi", "guan"}},    {"闾丘", {"lv", "qiu"}},
    {"公冶", {"gong", "ye"}},    {"谷梁", {"gu", "liang"}},   {"梁丘", {"liang", "qiu"}},
    {"段干", {"duan", "gan"}},   {"巫马", {"wu", "ma"}},      {"公西", {"gong", "xi"}},
    {"漆雕", {"qi", "diao"}},    {"壤驷", {"rang", "si"}},    {"颛孙", {"zhuan", "sun"}},
    {"羊舌", {"yang", "she"}},   {"微生", {"wei", "sheng"}},  {"公良", {"gong", "liang"}},
    {"夹谷", {"jia", "gu"}},     {"东门", {"dong", "men"}},   {"司寇", {"si", "kou"}},
    {"即墨", {"ji", "mo"}},      {"褚师", {"chu", "shi"}},    {"宰父", {"zai", "fu"}},
};

/* clang-format on */

#endif
