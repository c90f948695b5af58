/*
 * messages.c: the one catalogue of what xjlink says to people, in English
 * and Chinese, looked up by a stable id.
 *
 * It lives in the library, not in the program, because four front ends
 * show these texts: the library's own error messages, the xjlink program,
 * and the Python and Java bindings (through xjl_message()).  One table means
 * a word is translated once and reads the same everywhere; a string id
 * rather than an enum keeps the ABI the same when entries are added.
 *
 * The table is sorted by id (bytewise) so that a lookup is a binary
 * search; test_messages checks the order, that both texts are there, that
 * they have the same printf conversions in the same order, and that the
 * Chinese text has no English words.  To add a message: add a row in order.
 */
#include "util/util.h"

#include <stdlib.h>
#include <string.h>

struct message {
    const char *id, *en, *zh;
};

static const struct message messages[] = {
    {"action.add", "add", "添加"},
    {"action.admit", "admit", "录取"},
    {"action.approve", "approve", "审核通过"},
    {"action.approve-quota", "approve-quota", "批准招生计划数"},
    {"action.approve-school", "approve-school", "学校审核完成"},
    {"action.assign", "assign", "分配"},
    {"action.cancel", "cancel", "取消"},
    {"action.confirm", "confirm", "确认学前学籍"},
    {"action.continue", "continue", "继续"},
    {"action.delete", "delete", "删除"},
    {"action.edit", "edit", "修改"},
    {"action.export-not-found", "export-not-found", "导出未查到"},
    {"action.formal-number", "formal-number", "发放正式学籍号"},
    {"action.hold", "hold", "暂缓"},
    {"action.import", "import", "导入"},
    {"action.import-assigned", "import-assigned", "导入分配名单"},
    {"action.key-change-approve", "key-change-approve", "批准关键数据变更"},
    {"action.key-change-reject", "key-change-reject", "驳回关键数据变更"},
    {"action.key-change-request", "key-change-request", "申请关键数据变更"},
    {"action.load-graduates", "load-graduates", "载入毕业生库"},
    {"action.load-registry", "load-registry", "载入学前学籍库"},
    {"action.migrate", "migrate", "升级结构"},
    {"action.national-check", "national-check", "全国查重"},
    {"action.national-check-result", "national-check-result", "全国查重结果"},
    {"action.none", "none", "声明无学前学籍"},
    {"action.override", "override", "特批"},
    {"action.policy", "policy", "设定策略"},
    {"action.reject-quota", "reject-quota", "驳回招生计划数"},
    {"action.request-quota", "request-quota", "申请变更招生计划数"},
    {"action.resolve-double", "resolve-double", "重复招生处理"},
    {"action.restore", "restore", "恢复"},
    {"action.return", "return", "退回"},
    {"action.review-approve", "review-approve", "录取审核通过"},
    {"action.review-reject", "review-reject", "录取审核驳回"},
    {"action.school-kind", "school-kind", "设定学校类别"},
    {"action.school-set", "school-set", "设定学校"},
    {"action.school-transfer", "school-transfer", "转学"},
    {"action.set-quota", "set-quota", "设定招生计划数"},
    {"action.submit", "submit", "上报"},
    {"action.supplement", "supplement", "补录"},
    {"action.supplement-done", "supplement-done", "完成补录"},
    {"action.transfer-archive", "transfer-archive", "调档"},
    {"check.error", "error", "错误"},
    {"check.expected", "; expected %c", "，应为%c"},
    {"check.field_count", "rows with a wrong number of fields", "字段数与表头不符的行"},
    {"check.id_says", "; the ID number says %s", "，证件号中为%s"},
    {"check.internal", "internal", "内部错误"},
    {"check.need_roster", "a roster file is needed", "需要一个名单文件"},
    {"check.now", "; now %s", "，升位后为%s"},
    {"check.overwrites_roster", "--out %s would overwrite the roster", "--out %s 会覆盖名单"},
    {"check.read_as", "; read as %s", "，按%s处理"},
    {"check.stray_quote", "rows with later rows read into a cell (a stray quote)",
     "有后续行被读进某一字段的行（多余的引号）"},
    {"check.summary", "%s: %zu rows read: %zu with errors, %zu with warnings only, %zu clean\n",
     "%s：共%zu行，%zu行有错误，%zu行仅有警告，%zu行无问题\n"},
    {"check.warning", "warning", "警告"},
    {"check.write_failed", "writing the findings failed", "写出问题列表失败"},
    {"cli.loading", "loading %s\n", "正在载入 %s\n"},
    {"cli.more_bad_rows", "(further bad registry rows are counted, not shown)",
     "（其余无法读取的学籍库行只计数，不再列出）"},
    {"cli.option_needs_value", "option '--%s' needs a value", "选项 '--%s' 需要一个值"},
    {"cli.option_not_number", "option '%s': '%s' is not a number (0..1000000)",
     "选项 '%s'：'%s' 不是0到1000000之间的整数"},
    {"cli.option_takes_no_value", "option '--%s' takes no value", "选项 '--%s' 不带值"},
    {"cli.out_is_directory", "--out %s is a directory", "--out %s 是一个目录"},
    {"cli.out_of_memory", "out of memory", "内存不足"},
    {"cli.overwrites_input", "--out %s would overwrite an input file", "--out %s 会覆盖输入文件"},
    {"cli.progress", "\r%s: %zu rows, %.0f rows/s   ", "\r%s：%zu行，每秒%.0f行   "},
    {"cli.report_is_out", "--report %s is also the --out file",
     "--report %s 与 --out 是同一个文件"},
    {"cli.row", "row", "行"},
    {"cli.row_field_count", "row has %zu fields, the header has %zu",
     "该行有%zu个字段，表头有%zu个"},
    {"cli.row_nul", "field %s contains a NUL byte", "字段%s含有空字符"},
    {"cli.try_help", "Try 'xjlink %s%s--help'.", "用法见 'xjlink %s%s--help'。"},
    {"cli.unexpected_argument", "unexpected argument '%s'", "多余的参数 '%s'"},
    {"cli.unknown_command", "unknown command '%s'", "未知命令 '%s'"},
    {"cli.unknown_language", "unknown language '%s' (use en or zh)",
     "未知语言 '%s'（可用 en 或 zh）"},
    {"cli.unknown_option", "unknown option '%s'", "未知选项 '%s'"},
    {"cli.version", "xjlink %s (library %s)\n", "xjlink %s（程序库 %s）\n"},
    {"cli.xlsx.cannot_write", "cannot write %s: %s", "无法写入 %s：%s"},
    {"cli.xlsx.cell_cut",
     "warning: %s: cell %s%lu of sheet 结果 Results is longer than Excel's limit of %u "
     "characters; its first %u are written (%zu cell%s cut): the CSV output keeps the whole "
     "value\n",
     "警告：%s：工作表“结果”的单元格%s%lu超过 Excel 单元格%u个字符的上限，只写入了前%u个字符"
     "（共%zu个单元格%.0s被截断）：CSV 输出保留完整内容\n"},
    {"cli.xlsx.is_directory", "cannot write %s: it is a directory", "无法写入 %s：这是一个目录"},
    {"cli.xlsx.no_temp_file", "cannot create a temporary file", "无法创建临时文件"},
    {"cli.xlsx.too_many_rows",
     "%s: more rows than an Excel sheet holds (%u, the header's included): the workbook is not "
     "written; the file is left as it was; write CSV (--out FILE.csv --excel) instead",
     "%s：行数超过 Excel 工作表的上限（%u行，含表头）：未写出工作簿，文件保持原样；"
     "请改为写出 CSV（--out 文件.csv --excel）"},
    {"cli.xlsx.write_failed", "writing %s failed: %s; the file is left as it was",
     "写入 %s 失败：%s；文件保持原样"},
    {"cli.xlsx.write_failed_at", "writing %s failed at cell %s%lu: %s; the file is left as it was",
     "写入 %s 失败（单元格%s%lu）：%s；文件保持原样"},
    {"cmd.check", "check the five key fields of every row of a roster",
     "核对名单每一行的五项关键信息"},
    {"cmd.dedup", "find the records of a registry that are the same child (问题学籍)",
     "查找学籍库中属于同一学生的记录（问题学籍）"},
    {"cmd.enrol", "secondary enrolment: quotas, admissions, double admission (招生)",
     "初中及以上招生：招生计划、录取、重复录取"},
    {"cmd.index", "the registry index as a file: build, info, verify, update, compact",
     "学籍库索引文件：生成、查看、校验、更新、压缩"},
    {"cmd.intake", "primary intake workflow in a workspace (学前调档, 补录, 审核)",
     "工作区中的小学入学流程（学前调档、补录、审核）"},
    {"cmd.match", "match a roster against a registry (已匹配/待确认/未查到)",
     "将名单与学籍库匹配（已匹配、待确认、未查到）"},
    {"column.action", "action", "操作"},
    {"column.address", "address", "现住址"},
    {"column.admission", "admission", "录取号"},
    {"column.at", "at", "时间"},
    {"column.batch", "batch", "批次"},
    {"column.birth_date", "birth_date", "出生日期"},
    {"column.birthplace", "birthplace", "出生地"},
    {"column.candidates", "candidates", "候选学前学籍ID"},
    {"column.class", "class", "类别"},
    {"column.cluster_id", "cluster_id", "重复组号"},
    {"column.code", "code", "代码"},
    {"column.conflict", "conflict", "冲突"},
    {"column.count", "count", "人数"},
    {"column.counted", "counted", "计入统计"},
    {"column.created_at", "created_at", "创建时间"},
    {"column.decided_at", "decided_at", "决定时间"},
    {"column.decided_by", "decided_by", "决定人"},
    {"column.deleted", "deleted", "已删除"},
    {"column.deleted_at", "deleted_at", "删除时间"},
    {"column.detail", "detail", "详情"},
    {"column.disability", "disability", "残疾类型"},
    {"column.enabled", "enabled", "启用"},
    {"column.ethnicity", "ethnicity", "民族"},
    {"column.field", "field", "字段"},
    {"column.finding", "finding", "问题"},
    {"column.findings", "findings", "发现的问题"},
    {"column.from_status", "from_status", "原状态"},
    {"column.gender", "gender", "性别"},
    {"column.gender_code", "gender_code", "性别码"},
    {"column.grade", "grade", "年级"},
    {"column.graduate", "graduate", "毕业生"},
    {"column.graduate_school", "graduate_school", "毕业学校"},
    {"column.hmt", "hmt", "港澳台侨外"},
    {"column.hukou_region", "hukou_region", "户口所在地"},
    {"column.hukou_type", "hukou_type", "户口性质"},
    {"column.id", "id", "编号"},
    {"column.id_number", "id_number", "身份证件号"},
    {"column.id_type", "id_type", "身份证件类型"},
    {"column.id_type_code", "id_type_code", "身份证件类型码"},
    {"column.identifier", "identifier", "学校标识码"},
    {"column.kind", "kind", "类别"},
    {"column.left_behind", "left_behind", "是否留守儿童"},
    {"column.line", "line", "行号"},
    {"column.match_id", "match_id", "匹配学前学籍ID"},
    {"column.message", "message", "说明"},
    {"column.migrant_child", "migrant_child", "是否进城务工人员子女"},
    {"column.name", "name", "姓名"},
    {"column.nationality", "nationality", "国籍/地区"},
    {"column.new_value", "new_value", "新值"},
    {"column.note", "note", "备注"},
    {"column.number", "number", "学籍号"},
    {"column.object", "object", "对象"},
    {"column.object_id", "object_id", "对象编号"},
    {"column.old_value", "old_value", "原值"},
    {"column.only_child", "only_child", "是否独生子女"},
    {"column.open_from", "open_from", "开始日期"},
    {"column.open_to", "open_to", "结束日期"},
    {"column.operator", "operator", "操作人"},
    {"column.orphan", "orphan", "是否孤儿"},
    {"column.override", "override", "特批"},
    {"column.process", "process", "业务"},
    {"column.proof", "proof", "证明"},
    {"column.pupils", "pupils", "学生数"},
    {"column.quota", "quota", "招生计划数"},
    {"column.rank", "rank", "名次"},
    {"column.reason", "reason", "原因"},
    {"column.reasons", "reasons", "原因"},
    {"column.record_id", "record_id", "学籍ID"},
    {"column.region", "region", "行政区划"},
    {"column.request", "request", "申请号"},
    {"column.requested", "requested", "申请数"},
    {"column.result", "result", "结果"},
    {"column.review", "review", "审核"},
    {"column.route", "route", "招生方式"},
    {"column.row_id", "row_id", "行号"},
    {"column.school", "school", "学校"},
    {"column.score", "score", "得分"},
    {"column.senior_admission", "senior_admission", "高中录取号"},
    {"column.senior_at", "senior_at", "高中录取时间"},
    {"column.senior_birth_date", "senior_birth_date", "高中出生日期"},
    {"column.senior_gender", "senior_gender", "高中性别"},
    {"column.senior_id_number", "senior_id_number", "高中身份证件号"},
    {"column.senior_line", "senior_line", "高中行号"},
    {"column.senior_name", "senior_name", "高中姓名"},
    {"column.senior_school", "senior_school", "高中学校"},
    {"column.senior_state", "senior_state", "高中状态"},
    {"column.stage", "stage", "教育阶段"},
    {"column.state", "state", "状态"},
    {"column.status", "status", "处理状态"},
    {"column.status_zh", "status_zh", "状态（中文）"},
    {"column.student_number", "student_number", "学籍号"},
    {"column.supplement", "supplement", "补录"},
    {"column.to_school", "to_school", "转入学校"},
    {"column.to_status", "to_status", "新状态"},
    {"column.updated_at", "updated_at", "更新时间"},
    {"column.used", "used", "已用"},
    {"column.value", "value", "值"},
    {"column.vocational_admission", "vocational_admission", "中职录取号"},
    {"column.vocational_at", "vocational_at", "中职录取时间"},
    {"column.vocational_birth_date", "vocational_birth_date", "中职出生日期"},
    {"column.vocational_gender", "vocational_gender", "中职性别"},
    {"column.vocational_id_number", "vocational_id_number", "中职身份证件号"},
    {"column.vocational_line", "vocational_line", "中职行号"},
    {"column.vocational_name", "vocational_name", "中职姓名"},
    {"column.vocational_school", "vocational_school", "中职学校"},
    {"column.vocational_state", "vocational_state", "中职状态"},
    {"column.weights", "weights", "各项得分"},
    {"column.year", "year", "年份"},
    {"columns.field.birth_date", "出生日期 (birth_date)", "出生日期"},
    {"columns.field.gender", "性别 (gender)", "性别"},
    {"columns.field.id_number", "身份证件号 (id_number)", "身份证件号"},
    {"columns.field.id_type", "身份证件类型 (id_type)", "身份证件类型"},
    {"columns.field.name", "姓名 (name)", "姓名"},
    {"columns.missing",
     "%s: missing column %s; the header has %s (name a column with a mapping such as 姓名=XM)",
     "%s：缺少%s列；表头为 %s（可用 姓名=XM 这样的对应关系指定列）"},
    {"columns.no_record_id", "%s: no record id column (%s)", "%s：没有学前学籍ID列（%s）"},
    {"columns.no_such_column",
     "%s: column mapping '%.*s': no column named '%.*s'; the header has %s",
     "%s：列对应关系 '%.*s'：没有名为 '%.*s' 的列；表头为 %s"},
    {"columns.none", "no columns", "没有列"},
    {"columns.sep", ", ", "、"},
    {"columns.syntax",
     "column mapping '%.*s': expected FIELD=COLUMN, FIELD one of 姓名 (name), 性别 (gender), "
     "出生日期 (birth_date), 身份证件类型 (id_type), 身份证件号 (id_number)",
     "列对应关系 '%.*s'：应写作 "
     "字段=列名，字段为姓名、性别、出生日期、身份证件类型、身份证件号之一"},
    {"columns.the_header", "the header", "表头"},
    {"columns.twice",
     "%s: columns %d '%s' and %zu '%s' are both %s; keep one, or name the one to use with a "
     "mapping such as %s=%s",
     "%s：第%d列 '%s' 与第%zu列 '%s' 都是%s；请只保留一列，或用 %s=%s 这样的对应关系指定要用的列"},
    {"csv.cannot_open", "file %s: cannot open: %s", "文件 %s：无法打开：%s"},
    {"csv.no_header", "file %s: no header (the file is empty)", "文件 %s：没有表头（文件为空）"},
    {"csv.row_too_long", "file %s line %ld: row longer than %zu MiB (an unterminated quote?)",
     "文件 %s 第%ld行：该行超过%zu兆字节（引号未闭合？）"},
    {"csv.unknown_encoding", "unknown encoding '%s' (use auto, utf-8, gb18030, gbk or gb2312)",
     "未知编码 '%s'（可用 auto、utf-8、gb18030、gbk 或 gb2312）"},
    {"csv.unterminated_quote",
     "file %s line %ld: unterminated quote in field %zu of the row starting on line %ld",
     "文件 %s 第%ld行：第%zu个字段的引号未闭合（该行从第%ld行开始）"},
    {"csv.where_line", "file %s line %ld", "文件 %s 第%ld行"},
    {"dedup.also", "also linked to %s", "另与%s相连"},
    {"dedup.capped.id",
     "block %d: ID number %s, %llu records (first cut: record %s), over the block limit of %llu: "
     "%llu searches cut, %llu pairs not compared",
     "查重分块%d：身份证件号%s的记录%llu条（首条被截断检索的记录：%s），超出每个检索键%"
     "llu条的上限："
     "%llu次检索被截断，%llu对记录未比对"},
    {"dedup.capped.name",
     "block %d: %s born %s, %llu records (first cut: record %s), over the block limit of %llu: "
     "%llu searches cut, %llu pairs not compared",
     "查重分块%d：姓名%s、出生日期%s的记录%llu条（首条被截断检索的记录：%s），超出每个检索键%"
     "llu条的"
     "上限：%llu次检索被截断，%llu对记录未比对"},
    {"dedup.index_options",
     "--index takes no --id-column or --columns: they were given to `xjlink index build`",
     "--index 不接受 --id-column 或 --columns：这些已在 `xjlink index build` 时给出"},
    {"dedup.more", "%lu more alike", "另有%lu条相似"},
    {"dedup.need_inputs", "--registry or --index, and --out are needed",
     "需要 --registry 或 --index，以及 --out"},
    {"dedup.score", "score %s", "得分%s"},
    {"dedup.summary.capped",
     "search keys over the block limit of %llu: %llu (listed above), %llu pairs not compared\n",
     "记录超出每键%llu条上限的检索键：%llu个（见上），%llu对记录未比对\n"},
    {"dedup.summary.clusters",
     "clusters: %llu same_id, %llu no_id, %llu one_id, %llu fuzzy (%llu records); %llu records "
     "with a bad ID number; %llu links refused (two valid numbers)\n",
     "重复：身份证件号重复%llu组，无身份证件号重复%llu组，一方无身份证件号重复%llu组，疑似同一学生%"
     "llu组（共%llu条记录）；身份证件号有误%llu条；拒绝连接%llu个（两个有效证件号）\n"},
    {"dedup.summary.registry",
     "registry %s: %llu records (%zu bad rows not loaded) in %llu blocks\n",
     "学籍库 %s：%llu条记录（%zu行无法读取，未载入），分%llu块\n"},
    {"dedup.summary.time",
     "seconds: %.2f load, %.2f check, %.2f total; memory: %.0f MB held (%.0f bytes/record), peak "
     "RSS %.0f MB (%.0f bytes/record)\n",
     "用时：载入%.2f秒，查重%.2f秒，共%.2f秒；内存：占用%.0f兆字节（每条%.0f字节），内存峰值%."
     "0f兆字节（每条%.0f字节）\n"},
    {"dedup.summary.unreadable",
     "%llu records with a name or birth date that cannot be read: found only through their ID "
     "number ('xjlink check' of the registry names each, with its line and value)\n",
     "%llu条记录的姓名或出生日期无法读取：仅能通过身份证件号查重（对学籍库运行 'xjlink check' "
     "可逐条列出行号和值）\n"},
    {"dedup.unreadable", "unreadable", "无法读取"},
    {"dedup.vs", "linked to %s", "与%s相连"},
    {"errno.eacces", "Permission denied", "没有权限"},
    {"errno.edquot", "Disk quota exceeded", "超出磁盘配额"},
    {"errno.efbig", "File too large", "文件过大"},
    {"errno.eio", "Input/output error", "读写错误"},
    {"errno.eisdir", "Is a directory", "这是一个目录"},
    {"errno.enametoolong", "File name too long", "文件名过长"},
    {"errno.enoent", "No such file or directory", "文件或目录不存在"},
    {"errno.enomem", "Cannot allocate memory", "内存不足"},
    {"errno.enospc", "No space left on device", "磁盘空间不足"},
    {"errno.enotdir", "Not a directory", "不是目录"},
    {"errno.erofs", "Read-only file system", "只读文件系统"},
    {"error.ebusy", "workspace busy", "工作区正忙"},
    {"error.ecorrupt", "index file corrupt", "索引文件已损坏"},
    {"error.edb", "workspace database error", "工作区数据库错误"},
    {"error.eduplicate", "already exists", "已存在"},
    {"error.eencoding", "invalid text encoding", "文字编码无效"},
    {"error.eforeign", "not an index file of this kind", "不是本类索引文件"},
    {"error.eformat", "file not in the expected format", "文件格式不符"},
    {"error.einval", "invalid argument or value", "参数或值无效"},
    {"error.eio", "input/output error", "读写错误"},
    {"error.enomem", "out of memory", "内存不足"},
    {"error.enotfound", "not found", "未找到"},
    {"error.epolicy", "refused by policy", "政策不允许"},
    {"error.equota", "quota exhausted", "名额已满"},
    {"error.erange", "buffer too small", "缓冲区太小"},
    {"error.estate", "not allowed in this state", "当前状态不允许此操作"},
    {"error.etruncated", "index file truncated", "索引文件不完整"},
    {"error.eversion", "index file of another format version or key scheme",
     "索引文件的格式版本或键方案不同"},
    {"error.ok", "success", "成功"},
    {"error.unknown", "unknown error", "未知错误"},
    {"field.birth_date", "birth_date", "出生日期"},
    {"field.gender", "gender", "性别"},
    {"field.id_number", "id_number", "身份证件号"},
    {"field.id_type", "id_type", "身份证件类型"},
    {"field.name", "name", "姓名"},
    {"field.record", "record", "记录"},
    {"finding.date_invalid", "not a calendar date", "日期不存在"},
    {"finding.date_range", "date outside 1900-01-01..2099-12-31", "日期超出合理范围"},
    {"finding.date_syntax", "not a date", "日期格式无法识别"},
    {"finding.dob_mismatch", "birth date differs from the one in the ID number",
     "出生日期与证件号不一致"},
    {"finding.empty", "empty", "为空"},
    {"finding.encoding", "not valid UTF-8", "编码无效"},
    {"finding.gender_mismatch", "gender differs from the one in the ID number",
     "性别与证件号不一致"},
    {"finding.gender_value", "not a gender code or word", "性别无法识别"},
    {"finding.id_chars", "characters not allowed in this kind of ID number", "证件号含非法字符"},
    {"finding.id_check", "wrong check character (ISO 7064 MOD 11-2)", "证件号校验码错误"},
    {"finding.id_converted15", "old 15-digit number converted to 18", "15位旧号码已升位"},
    {"finding.id_date", "the birth date inside the ID number is not a date",
     "证件号中的出生日期无效"},
    {"finding.id_length", "wrong length for this kind of ID number", "证件号长度错误"},
    {"finding.id_missing", "no ID number", "无身份证件号"},
    {"finding.id_region", "region code unknown to GB/T 2260 (1980-2019)", "行政区划码未知"},
    {"finding.id_type_mismatch", "number does not fit the ID document type",
     "证件号与证件类型不符"},
    {"finding.idtype_inferred", "ID document type empty, inferred from the number",
     "证件类型为空，已按号码推断"},
    {"finding.idtype_value", "not an ID document type", "身份证件类型无法识别"},
    {"finding.name_chars", "digits, symbols or control characters in a name", "姓名含数字或符号"},
    {"finding.name_placeholder", "a placeholder stands for a rare character", "含生僻字占位符"},
    {"finding.none", "no finding", "无"},
    {"finding.nul", "contains a NUL byte", "含有空字符"},
    {"finding.too_long", "too long", "过长"},
    {"finding.unknown", "unknown finding", "未知"},
    {"gender.female", "female", "女"},
    {"gender.male", "male", "男"},
    {"help.check",
     "Usage: xjlink check ROSTER.csv [--encoding E] [--lang zh] [--out REPORT.csv] [--excel]\n"
     "\n"
     "Checks the five key fields (姓名, 性别, 出生日期, 身份证件类型, 身份证件号) of every\n"
     "row and prints one line per finding on stdout:\n"
     "  FILE:LINE: error|warning FIELD FINDING 'VALUE': MESSAGE\n"
     "and a summary on stderr (rows read, rows with errors, rows with warnings only,\n"
     "clean rows, count per finding).\n"
     "\n"
     "Options:\n"
     "  --encoding E   auto (default), utf-8, gb18030 (also gbk, gb2312)\n"
     "  --lang L       en (default) or zh: everything in Chinese\n"
     "  --out FILE     also write the findings as CSV: line,field,finding,value,message\n"
     "                 (FILE.xlsx: as an Excel workbook)\n"
     "  --excel        write --out with a UTF-8 BOM and CRLF, for Excel\n"
     "  --report FILE  also write a page of the check, FILE.html: rows clean, with\n"
     "                 warnings, with errors; the findings by field; the rows with\n"
     "                 errors (one HTML file, no script, opens offline)\n"
     "  --report-rows N  rows with errors shown in the report at most (default 500)\n"
     "  --no-bom       no UTF-8 BOM in --out under --lang zh (it has one by default)\n"
     "  --columns MAP  key columns the names do not find, e.g. 姓名=XSMC,身份证件号=ZJHM\n"
     "                 (known: 姓名/name/XM, 性别/XBM, 出生日期/CSRQ, 身份证件类型/SFZJLXM,\n"
     "                 身份证件号/SFZJH and common variants)\n"
     "\n"
     "Exit status: 0 no row has an error (warnings allowed), 3 some row has an\n"
     "error, 2 usage error or unreadable file, 1 the report could not be written.\n",
     "用法：xjlink check 名单.csv [--encoding E] [--lang zh] [--out 报告.csv] [--excel]\n"
     "\n"
     "核对每一行的五项关键信息（姓名、性别、出生日期、身份证件类型、身份证件号），\n"
     "每个问题在标准输出打印一行：\n"
     "  文件:行号: 错误|警告 字段 '值'：说明\n"
     "并在标准错误打印汇总（读取行数、有错误的行、仅有警告的行、无问题的行、\n"
     "各类问题的数量）。\n"
     "\n"
     "选项：\n"
     "  --encoding E   auto（默认）、utf-8、gb18030（也可写 gbk、gb2312）\n"
     "  --lang L       en（默认）或 zh：全部以中文显示\n"
     "  --out 文件     同时将问题写成 CSV：行号、字段、问题、值、说明\n"
     "                 （文件.xlsx：写成 Excel 工作簿）\n"
     "  --excel        --out 写入 UTF-8 BOM 并以 CRLF 换行，便于 Excel 打开\n"
     "  --report 文件  同时写出本次核对的网页（文件.html）：无问题、有警告、有错误的\n"
     "                 行数，按字段的问题统计，有错误的行（单个 HTML 文件，无脚本，\n"
     "                 可离线打开）\n"
     "  --report-rows N  网页中最多列出的有错误行数（默认500）\n"
     "  --no-bom       --lang zh 时 --out 不写 UTF-8 BOM（默认写入）\n"
     "  --columns 对应关系  列名无法识别时指定关键列，如 姓名=XSMC,身份证件号=ZJHM\n"
     "                 （可识别：姓名/name/XM、性别/XBM、出生日期/CSRQ、\n"
     "                 身份证件类型/SFZJLXM、身份证件号/SFZJH 及常见写法）\n"
     "\n"
     "退出状态：0 没有行有错误（可有警告）；3 有行存在错误；2 用法错误或文件无法读取；\n"
     "1 无法写出报告。\n"},
    {"help.dedup",
     "Usage: xjlink dedup --registry R.csv --out CLUSTERS.csv [OPTIONS]\n"
     "\n"
     "Finds the records of a registry that are the same child (问题学籍) and writes\n"
     "one row per record of each cluster, then one per record whose ID number is\n"
     "wrong in itself:\n"
     "  cluster_id  the cluster's number (empty for a bad_id record in no cluster)\n"
     "  class       same_id    the same ID number more than once\n"
     "              no_id      no ID number; same name, gender and birth date\n"
     "              one_id     the same, one record with an ID number, one without\n"
     "              fuzzy      the same child with a mistyped ID number, name or date\n"
     "              bad_id     an ID number wrong in itself (check character, date,\n"
     "                         length) or disagreeing with the gender or birth date\n"
     "  record_id   the registry's id of the record\n"
     "  reasons     'first', or the record it is linked to with the agreement per\n"
     "              field and the score; for bad_id the findings\n"
     "A cluster's first record is its record whose id sorts first (byte order); a\n"
     "record equally like two children joins the one whose id sorts first, so the\n"
     "registry's row order changes no cluster, class or reason.\n"
     "A summary goes to stderr: records, clusters per class, time and memory.\n"
     "\n"
     "Options:\n"
     "  --registry FILE   registry CSV\n"
     "  --index FILE      or the registry's index file (`xjlink index build`),\n"
     "                    opened and verified instead of reading the CSV\n"
     "  --out FILE        output CSV, or an Excel workbook: FILE.xlsx\n"
     "  --id-column C     column with the record id (default: the first of\n"
     "                    学前学籍ID, 学籍ID, record_id, id; else the row number)\n"
     "  --columns MAP     key columns the names do not find, e.g. 姓名=XM\n"
     "  --threads N       worker threads (default 0: all cores)\n"
     "  --encoding E      auto (default), utf-8, gb18030\n"
     "  --lang L          en (default) or zh: everything in Chinese\n"
     "  --report FILE     also write a page of the check, FILE.html: clusters per\n"
     "                    class, the links' scores and agreement per field, the\n"
     "                    findings of bad ID numbers, and the clusters with their\n"
     "                    records (one HTML file, no script, opens offline)\n"
     "  --report-rows N   clusters shown in the report at most (default 500)\n"
     "\n"
     "Exit status: 0 done; 2 usage error or unreadable registry; 1 the output\n"
     "could not be written, or out of memory.\n",
     "用法：xjlink dedup --registry 学籍库.csv --out 重复组.csv [选项]\n"
     "\n"
     "查找学籍库中属于同一学生的记录（问题学籍），每个重复组的每条记录写一行，\n"
     "其后每条证件号本身有误的记录写一行：\n"
     "  重复组号  重复组的编号（不属于任何组的证件号有误记录为空）\n"
     "  类别      身份证件号重复    同一证件号出现多次\n"
     "            无身份证件号重复  无证件号，姓名、性别、出生日期相同\n"
     "            一方无身份证件号重复  同上，一条有证件号、一条没有\n"
     "            疑似同一学生      证件号、姓名或日期有误录的同一学生\n"
     "            身份证件号有误    证件号本身有误（校验码、日期、长度），\n"
     "                              或与性别、出生日期不符\n"
     "  学籍ID    该记录在学籍库中的编号\n"
     "  原因      组内首条，或与之相连的记录及各项一致程度和得分；\n"
     "            证件号有误时为所发现的问题\n"
     "组内首条为学籍ID按字节排序最前的记录；与两名学生同样相似的记录，归入学籍ID\n"
     "排序在前的一名：学籍库的行序不改变重复组、类别和原因。\n"
     "汇总写到标准错误：记录数、各类重复组数、用时和内存。\n"
     "\n"
     "选项：\n"
     "  --registry 文件   学籍库 CSV\n"
     "  --index 文件      或学籍库的索引文件（由 `xjlink index build` 生成），\n"
     "                    打开并校验后使用，不再读取 CSV\n"
     "  --out 文件        结果 CSV，或 Excel 工作簿：文件.xlsx\n"
     "  --id-column 列    记录编号所在的列（默认依次找 学前学籍ID、学籍ID、\n"
     "                    record_id、id，都没有则用行号）\n"
     "  --columns 对应关系  列名无法识别时指定关键列，如 姓名=XM\n"
     "  --threads N       工作线程数（默认 0：使用全部处理器核）\n"
     "  --encoding E      auto（默认）、utf-8、gb18030\n"
     "  --lang L          en（默认）或 zh：全部以中文显示\n"
     "  --report 文件     同时写出本次查重的网页（文件.html）：各类重复组数，连接的得分\n"
     "                    与各项一致程度，证件号有误记录的问题，以及各组的记录\n"
     "                    （单个 HTML 文件，无脚本，可离线打开）\n"
     "  --report-rows N   网页中最多列出的重复组数（默认500）\n"
     "\n"
     "退出状态：0 完成；2 用法错误或学籍库无法读取；1 无法写出结果或内存不足。\n"},
    {"help.enrol",
     "Usage: xjlink enrol SUBCOMMAND WS.db [ARGS] [--operator ID]\n"
     "\n"
     "Secondary enrolment (高中招生学籍接续) in a workspace file.\n"
     "\n"
     "  init WS                             create a new, empty workspace (every other\n"
     "                                      subcommand refuses a path that does not exist)\n"
     "Subcommands (authority):\n"
     "  load-graduates WS GRAD.csv          load/refresh the graduate pool\n"
     "  graduate WS NUMBER                  one graduate\n"
     "  restore WS NUMBER [--reason R]      restore an archived (注销) record\n"
     "  delete-graduate WS NUMBER [--reason R]\n"
     "  school-kind WS --school S --kind K  junior, senior (高中), vocational (中职)\n"
     "  quota WS --school S --year Y [--set N]\n"
     "  decide-quota WS REQUEST --approve|--reject\n"
     "  assign WS --school S --year Y NUMBER   put a graduate on the school's unified list\n"
     "  import-assigned WS --school S --year Y LIST.csv   assign and admit a unified list\n"
     "  resolve WS KEEP CANCEL --reason R   重复招生处理: keep one flow, cancel the other\n"
     "  review WS ADMISSION --stage K --approve|--reject [--reason R]\n"
     "                                      招生录取审核 with the 教育阶段 (the school's kind)\n"
     "Subcommands (school):\n"
     "  request-quota WS --school S --year Y --quota N [--reason R]\n"
     "  admit WS --school S --year Y NUMBER [--route self]   unified: assigned ones only\n"
     "  continue WS ADMISSION               是: go on despite a double admission\n"
     "  cancel WS ADMISSION [--reason R]    否: cancel the flow\n"
     "  delete WS ADMISSION                 delete a cancelled flow\n"
     "  transfer-archive WS ADMISSION       调档 (final)\n"
     "  school-transfer WS ADMISSION --to S2\n"
     "Listings:\n"
     "  list WS --school S --year Y         the school's admission flows\n"
     "  show WS ADMISSION\n"
     "  double WS --year Y                  pupils admitted by a senior high and a 中职\n"
     "                                      (either admission in year Y)\n"
     "  stats WS --year Y                   pupils per school; schools counted\n"
     "  requests WS [--school S]            quota-change requests\n"
     "  schools WS                          the schools\n"
     "  audit WS [--object O] [--id N]      the audit trail\n"
     "  policy WS [--process P --on|--off [--from D] [--to-date D]]   switches, windows\n"
     "  cross-check SENIOR.csv VOCATIONAL.csv   double admissions across two systems\n"
     "\n"
     "Options: --operator ID, --role R --scope S (school, county, city, province; the\n"
     "school's code or a region code), --out FILE, --excel (BOM, CRLF), --full-ids\n"
     "(listings mask ID numbers otherwise), --encoding E, --lang L (zh: all Chinese).\n"
     "\n"
     "Exit status: 0 done, 3 done with a double-admission warning or refused rows\n"
     "(admit, import-assigned; stderr says which), 4 the workflow refused the step\n"
     "(the message says why), 2 usage error or unreadable file, 1 failure.\n",
     "用法：xjlink enrol 子命令 工作区.db [参数] [--operator 操作人]\n"
     "\n"
     "工作区文件中的高中招生学籍接续。\n"
     "\n"
     "  init 工作区                           新建一个空的工作区（其他子命令不接受\n"
     "                                        不存在的路径）\n"
     "子命令（主管部门）：\n"
     "  load-graduates 工作区 毕业生.csv      载入或更新毕业生库\n"
     "  graduate 工作区 学籍号                一名毕业生\n"
     "  restore 工作区 学籍号 [--reason 原因] 恢复已注销的学籍\n"
     "  delete-graduate 工作区 学籍号 [--reason 原因]\n"
     "  school-kind 工作区 --school 学校 --kind 类别   junior 初中、senior 高中、\n"
     "                                        vocational 中职\n"
     "  quota 工作区 --school 学校 --year 年份 [--set 数量]\n"
     "  decide-quota 工作区 申请号 --approve|--reject\n"
     "  assign 工作区 --school 学校 --year 年份 学籍号   将毕业生列入该校统一招生名单\n"
     "  import-assigned 工作区 --school 学校 --year 年份 名单.csv   列入并录取统一招生名单\n"
     "  resolve 工作区 保留 取消 --reason 原因   重复招生处理：保留一个流程，取消另一个\n"
     "  review 工作区 录取号 --stage 类别 --approve|--reject [--reason 原因]\n"
     "                                        招生录取审核，含教育阶段（学校类别）\n"
     "子命令（学校）：\n"
     "  request-quota 工作区 --school 学校 --year 年份 --quota 数量 [--reason 原因]\n"
     "  admit 工作区 --school 学校 --year 年份 学籍号 [--route self]   统一招生：仅限已列入名单者\n"
     "  continue 工作区 录取号               是：尽管重复录取仍继续\n"
     "  cancel 工作区 录取号 [--reason 原因] 否：取消该流程\n"
     "  delete 工作区 录取号                 删除已取消的流程\n"
     "  transfer-archive 工作区 录取号       调档（最终）\n"
     "  school-transfer 工作区 录取号 --to 学校二\n"
     "列表：\n"
     "  list 工作区 --school 学校 --year 年份   该校的录取流程\n"
     "  show 工作区 录取号\n"
     "  double 工作区 --year 年份            同时被普通高中和中职录取的学生\n"
     "                                        （其中任一录取在该年份即列出）\n"
     "  stats 工作区 --year 年份             各校人数；学校计数\n"
     "  requests 工作区 [--school 学校]      招生计划变更申请\n"
     "  schools 工作区                       学校列表\n"
     "  audit 工作区 [--object 对象] [--id 编号]   审计记录\n"
     "  policy 工作区 [--process 业务 --on|--off [--from 日期] [--to-date 日期]]   开关、时间\n"
     "  cross-check 高中.csv 中职.csv        两个系统之间的重复录取\n"
     "\n"
     "选项：--operator 操作人，--role 角色 --scope 范围（school 学校、county 区县、\n"
     "city 地市、province 省；学校代码或行政区划码），--out 文件，--excel（BOM、\n"
     "CRLF），--full-ids（否则列表遮盖证件号），--encoding E，--lang L（zh：全部中文）。\n"
     "\n"
     "退出状态：0 完成；3 已完成但有重复录取警告或被拒绝的行（admit、\n"
     "import-assigned；标准错误中说明）；4 业务流程拒绝了该步骤（信息中说明原因）；\n"
     "2 用法错误或文件无法读取；1 失败。\n"},
    {"help.index",
     "Usage: xjlink index build REGISTRY.csv --out REG.xjx [OPTIONS]\n"
     "       xjlink index info REG.xjx\n"
     "       xjlink index verify REG.xjx\n"
     "       xjlink index update REG.xjx CHANGES.csv [--out NEW.xjx] [OPTIONS]\n"
     "       xjlink index compact REG.xjx [--out NEW.xjx] [--threads N]\n"
     "\n"
     "build   reads a registry CSV and saves its index to a file that\n"
     "        `xjlink match --index` and `xjlink dedup --index` open in\n"
     "        milliseconds.  The file is replaced atomically: a crash leaves the\n"
     "        old one.  Bad registry rows are reported and not loaded.\n"
     "info    prints what a file holds: records, versions, sizes per section.\n"
     "verify  checks every checksum and every bound of a file.\n"
     "update  applies a registry's changes to an index file record by record:\n"
     "        CHANGES.csv has a column op (or 操作) of add, update or remove\n"
     "        (新增, 修改, 删除), the record id column and the five key columns\n"
     "        (a remove row needs only the id: its key fields may be empty, and\n"
     "        a file of removals alone needs no key columns).  Each row is reported on\n"
     "        stdout (line, op, id, result); a bad row is reported with its\n"
     "        file, line, column and value and the others are still applied.\n"
     "        The changes are saved with the file, beside its built records,\n"
     "        without a rebuild; `compact` folds them in.\n"
     "compact folds the changes an index file holds into a new one: records\n"
     "        numbered again, search tables rebuilt.\n"
     "\n"
     "Options of build:\n"
     "  --out FILE        the index file to write\n"
     "  --id-column C     column with the record id (default: the first of\n"
     "                    学前学籍ID, 学籍ID, record_id, id; else the row number)\n"
     "  --columns MAP     key columns the names do not find, e.g. 姓名=XM\n"
     "  --threads N       worker threads (default 0: all cores)\n"
     "  --encoding E      auto (default), utf-8, gb18030\n"
     "  --lang L          en (default) or zh: everything in Chinese\n"
     "Options of update (and compact: --out, --threads):\n"
     "  --out FILE        write the changed index there (default: replace\n"
     "                    REG.xjx, atomically)\n"
     "  --id-column C     column with the record id (default: the first of\n"
     "                    学前学籍ID, 学籍ID, record_id, id: the one build takes)\n"
     "  --columns MAP     key columns the names do not find, e.g. 姓名=XM\n"
     "  --encoding E      of CHANGES.csv: auto (default), utf-8, gb18030\n"
     "\n"
     "Exit status: 0 done (verify: the file is sound); 2 usage error, an\n"
     "unreadable registry or change file, or (info, verify, update, compact) a\n"
     "file that is not a sound index; 3 update: done, but some rows were not\n"
     "applied; 1 the index could not be written, or out of memory.\n",
     "用法：xjlink index build 学籍库.csv --out 索引.xjx [选项]\n"
     "      xjlink index info 索引.xjx\n"
     "      xjlink index verify 索引.xjx\n"
     "      xjlink index update 索引.xjx 变更.csv [--out 新索引.xjx] [选项]\n"
     "      xjlink index compact 索引.xjx [--out 新索引.xjx] [--threads N]\n"
     "\n"
     "build   读取学籍库 CSV，将其索引保存为文件，`xjlink match --index` 和\n"
     "        `xjlink dedup --index` 可在几毫秒内打开。文件整体替换：中途崩溃时\n"
     "        保留原文件。无法读取的学籍库行会列出且不载入。\n"
     "info    显示文件内容：记录数、版本、各部分大小。\n"
     "verify  校验文件的每个校验和与每个边界。\n"
     "update  将学籍库的变更逐条写入索引文件：变更.csv 有一列 op（或 操作），值为\n"
     "        add、update、remove（新增、修改、删除），另有记录编号列和五项关键\n"
     "        信息列（删除行只需编号：其关键信息可为空，只有删除行的文件可以没有\n"
     "        关键信息列）。每行结果打印到标准输出（行号、操作、编号、\n"
     "        结果）；有问题的行列出其文件、行号、列和值，其余行照常写入。变更与\n"
     "        文件一同保存，不重建索引；由 `compact` 合并。\n"
     "compact 将索引文件中的变更合并为新文件：记录重新编号，查找表重建。\n"
     "\n"
     "build 的选项：\n"
     "  --out 文件        要写出的索引文件\n"
     "  --id-column 列    记录编号所在的列（默认依次找 学前学籍ID、学籍ID、\n"
     "                    record_id、id，都没有则用行号）\n"
     "  --columns 对应关系  列名无法识别时指定关键列，如 姓名=XM\n"
     "  --threads N       工作线程数（默认 0：使用全部处理器核）\n"
     "  --encoding E      auto（默认）、utf-8、gb18030\n"
     "  --lang L          en（默认）或 zh：全部以中文显示\n"
     "update 的选项（compact 可用 --out、--threads）：\n"
     "  --out 文件        变更后的索引写到此处（默认整体替换原索引文件）\n"
     "  --id-column 列    记录编号所在的列（默认依次找 学前学籍ID、学籍ID、\n"
     "                    record_id、id，与 build 相同）\n"
     "  --columns 对应关系  列名无法识别时指定关键列，如 姓名=XM\n"
     "  --encoding E      变更.csv 的编码：auto（默认）、utf-8、gb18030\n"
     "\n"
     "退出状态：0 完成（verify：文件完好）；2 用法错误、学籍库或变更文件无法读取，\n"
     "或（info、verify、update、compact）文件不是完好的索引；3 update 已完成，但有\n"
     "行未写入；1 无法写出索引或内存不足。\n"},
    {"help.intake",
     "Usage: xjlink intake SUBCOMMAND WS.db [ARGS] [--operator ID]\n"
     "\n"
     "The primary intake workflow (小学新生学籍接续) in a workspace file (made by\n"
     "init; any other subcommand refuses a path that does not exist).  Every step\n"
     "is one transaction and goes into the audit trail with the --operator id.\n"
     "\n"
     "Subcommands:\n"
     "  init WS                           create a new, empty workspace\n"
     "  schools WS                        the schools: code, name, region, identifier\n"
     "  load-registry WS REG.csv          load/refresh the preschool registry (17 fields)\n"
     "  school WS --school S [--name N] [--region R] [--identifier I]\n"
     "  import WS --school S ROSTER.csv   import and match a school's list\n"
     "  list WS --school S [--status ST]  rows (matched, pending, not_found, error, confirmed)\n"
     "  show WS ROW                       a row, its candidates and history\n"
     "  edit WS ROW [--name N] [--gender G] [--birth-date D] [--id-type T] [--id-number X]\n"
     "  confirm WS ROW RECORD_ID          confirm one candidate of a pending row\n"
     "  none WS ROW                       no candidate is this pupil\n"
     "  delete WS ROW [--reason R]        delete a junk row\n"
     "  supplement WS ROW [FIELD=VALUE ...] [--done]\n"
     "                                    show or edit the 17 fields; --done saves\n"
     "  export-not-found WS --school S OUT.csv\n"
     "  submit WS --school S              school review and submission\n"
     "  return WS ROW --reason R          the authority returns a row\n"
     "  override WS ROW --reason R        the authority numbers a row despite findings\n"
     "  approve WS --school S             the authority approves: student numbers;\n"
     "                                    rows with findings are held (exit status 3)\n"
     "  key-change WS ROW FIELD=VALUE --reason R\n"
     "                                    request a key-data change of a registered\n"
     "                                    row (关键数据变更)\n"
     "  decide-key-change WS REQ --approve|--reject [--reason NOTE]   the authority\n"
     "  key-changes WS [--school S]       the requests and their outcome\n"
     "  register WS --school S --grade N --name N --gender G --birth-date D\n"
     "           [--id-type T --id-number X]   a pupil outside grade 1 (非小学一年级\n"
     "                                    学籍注册): queued for the national check\n"
     "  proof WS REQ --proof REF          the proof of attendance of a pupil without ID\n"
     "  decide-register WS REQ --approve|--reject --reason NOTE\n"
     "                                    the authority decides a no-ID pupil (J number)\n"
     "  registrations WS [--school S]     the requests and their state\n"
     "  export-check WS OUT.csv           the monthly 全国查重 list for the centre\n"
     "  import-check WS RESULT.csv        the centre's result: registered, refused, L -> G\n"
     "  audit WS [--object O] [--id N]    the audit trail\n"
     "  policy WS [--process P --on|--off [--from D] [--to-date D]]\n"
     "                                    feature switches and date windows kept in\n"
     "                                    the workspace (processes: intake,\n"
     "                                    intake-authority, enrol, enrol-authority,\n"
     "                                    key-change, registration)\n"
     "\n",
     "用法：xjlink intake 子命令 工作区.db [参数] [--operator 操作人]\n"
     "\n"
     "工作区文件中的小学新生学籍接续流程（工作区由 init 创建；其他子命令不接受\n"
     "不存在的路径）。每一步都是一个事务，并以 --operator 给出的操作人记入审计记录。\n"
     "\n"
     "子命令：\n"
     "  init 工作区                       新建一个空的工作区\n"
     "  schools 工作区                    学校列表：代码、名称、行政区划、标识码\n"
     "  load-registry 工作区 学籍库.csv   载入或更新学前学籍库（17项信息）\n"
     "  school 工作区 --school 学校 [--name 名称] [--region 区划] [--identifier 标识码]\n"
     "  import 工作区 --school 学校 名单.csv   导入一所学校的名单并匹配\n"
     "  list 工作区 --school 学校 [--status 状态]\n"
     "                                    各行（matched 已匹配、pending 待确认、\n"
     "                                    not_found 未查到、error 错误、confirmed 已确认）\n"
     "  show 工作区 行号                  一行、它的候选记录和历史\n"
     "  edit 工作区 行号 [--name 姓名] [--gender 性别] [--birth-date 日期] [--id-type 类型] "
     "[--id-number 号码]\n"
     "  confirm 工作区 行号 学籍ID        确认待确认行的一个候选记录\n"
     "  none 工作区 行号                  所有候选都不是该学生\n"
     "  delete 工作区 行号 [--reason 原因]   删除一条无效行\n"
     "  supplement 工作区 行号 [字段=值 ...] [--done]\n"
     "                                    查看或补录17项信息；--done 保存\n"
     "  export-not-found 工作区 --school 学校 输出.csv\n"
     "  submit 工作区 --school 学校       学校审核并上报\n"
     "  return 工作区 行号 --reason 原因  主管部门退回一行\n"
     "  override 工作区 行号 --reason 原因   主管部门不顾所发现的问题为该行编号\n"
     "  approve 工作区 --school 学校      主管部门审核通过：分配学籍号；\n"
     "                                    有问题的行暂缓（退出状态 3）\n"
     "  key-change 工作区 行号 字段=值 --reason 原因\n"
     "                                    申请变更已注册行的关键数据（关键数据变更）\n"
     "  decide-key-change 工作区 申请号 --approve|--reject [--reason 说明]   主管部门\n"
     "  key-changes 工作区 [--school 学校]   各项申请及结果\n"
     "  register 工作区 --school 学校 --grade 年级 --name 姓名 --gender 性别 --birth-date 日期\n"
     "           [--id-type 类型 --id-number 号码]   非小学一年级学籍注册：\n"
     "                                    排队等待全国查重\n"
     "  proof 工作区 申请号 --proof 证明编号   无身份证号学生的在校就读证明\n"
     "  decide-register 工作区 申请号 --approve|--reject --reason 说明\n"
     "                                    主管部门决定无身份证号学生（J 号）\n"
     "  registrations 工作区 [--school 学校]   各项注册申请及状态\n"
     "  export-check 工作区 输出.csv      导出每月全国查重名单，交给中心\n"
     "  import-check 工作区 结果.csv      导入中心的结果：注册、拒绝、L 号转 G 号\n"
     "  audit 工作区 [--object 对象] [--id 编号]   审计记录\n"
     "  policy 工作区 [--process 业务 --on|--off [--from 日期] [--to-date 日期]]\n"
     "                                    保存在工作区中的功能开关和业务时间（业务：\n"
     "                                    intake、intake-authority、enrol、\n"
     "                                    enrol-authority、key-change、registration）\n"
     "\n"},
    {"help.intake.options",
     "Options:\n"
     "  --operator ID  who does the step (audit trail)\n"
     "  --encoding E   auto (default), utf-8, gb18030 (input files)\n"
     "  --out FILE     write a listing to FILE instead of stdout\n"
     "  --excel        listings with a BOM and CRLF line ends (Excel opens them as UTF-8)\n"
     "  --full-ids     ID numbers in full (listings mask them: personal data)\n"
     "  --columns MAP  key columns of a registry or list that the names do not find,\n"
     "                 e.g. 姓名=XSMC,身份证件号=ZJHM\n"
     "  --role R --scope S  the operator's role (school, county, city, province) and\n"
     "                 scope (the school's code, or a 6-digit region code): authority\n"
     "                 steps are refused for a school, steps outside the scope for all\n"
     "  --lang L       en (default) or zh: everything in Chinese\n"
     "\n"
     "Listings are CSV on stdout.  Exit status: 0 done, 3 done but rows were refused,\n"
     "warned about or held (import, approve; stderr names them), 4 the workflow\n"
     "refused the step (the message says why), 2 usage error or unreadable file,\n"
     "1 failure.\n",
     "选项：\n"
     "  --operator 操作人   执行该步骤的人（记入审计记录）\n"
     "  --encoding E   输入文件编码：auto（默认）、utf-8、gb18030\n"
     "  --out 文件     将列表写入文件而不是标准输出\n"
     "  --excel        列表写入 BOM 并以 CRLF 换行（Excel 按 UTF-8 打开）\n"
     "  --full-ids     显示完整证件号（列表默认遮盖：个人信息）\n"
     "  --columns 对应关系  列名无法识别时指定学籍库或名单的关键列，\n"
     "                 如 姓名=XSMC,身份证件号=ZJHM\n"
     "  --role 角色 --scope 范围  操作人的角色（school 学校、county 区县、city 地市、\n"
     "                 province 省）及范围（学校代码或6位行政区划码）：学校不能执行\n"
     "                 主管部门的步骤，任何人不能执行范围以外的步骤\n"
     "  --lang L       en（默认）或 zh：全部以中文显示\n"
     "\n"
     "列表以 CSV 写到标准输出。退出状态：0 完成；3 已完成但有行被拒绝、警告或暂缓\n"
     "（import、approve；标准错误中列出）；4 业务流程拒绝了该步骤（信息中说明原因）；\n"
     "2 用法错误或文件无法读取；1 失败。\n"},
    {"help.main.head",
     "Usage: xjlink COMMAND [OPTIONS] [FILES]\n"
     "       xjlink COMMAND --help\n"
     "       xjlink --version\n"
     "\n"
     "Checks and matches Chinese student records on their five key fields\n"
     "(姓名, 性别, 出生日期, 身份证件类型, 身份证件号) for 电子学籍接续.\n"
     "\n"
     "Commands:\n",
     "用法：xjlink 命令 [选项] [文件]\n"
     "      xjlink 命令 --help\n"
     "      xjlink --version\n"
     "\n"
     "按五项关键信息（姓名、性别、出生日期、身份证件类型、身份证件号）核对并匹配\n"
     "学生学籍，用于电子学籍接续。\n"
     "\n"
     "命令：\n"},
    {"help.main.tail",
     "\n"
     "Input files are CSV (RFC 4180) in UTF-8 (with or without BOM) or GB18030/GBK,\n"
     "as Excel writes them; the encoding is detected unless --encoding is given.\n"
     "Messages are in Chinese with --lang zh, or when the locale (LC_ALL,\n"
     "LC_MESSAGES, LANG) is zh_CN; --lang en keeps them English.\n"
     "\n"
     "Exit status:\n"
     "  0  done, and no row has an error\n"
     "  1  the output could not be written, or out of memory\n"
     "  2  bad command line, or an input file that cannot be read (missing,\n"
     "     a key column missing, an unterminated quote)\n"
     "  3  done, but some rows were refused or have an error, each named on\n"
     "     stderr or in the report: check (an error finding), index update,\n"
     "     intake and enrol steps that read a file or many rows (each command's\n"
     "     --help says which); match never uses it: rows with status error are\n"
     "     results\n"
     "  4  intake, enrol: the workflow refused the step (the message says why)\n",
     "\n"
     "输入文件为 CSV（RFC 4180），编码为 UTF-8（有无 BOM 均可）或 GB18030/GBK，\n"
     "与 Excel 保存的一致；未给出 --encoding 时自动识别编码。\n"
     "使用 --lang zh，或区域设置（LC_ALL、LC_MESSAGES、LANG）为 zh_CN 时，\n"
     "所有信息以中文显示；--lang en 则保持英文。\n"
     "\n"
     "退出状态：\n"
     "  0  完成，且没有行有错误\n"
     "  1  无法写出结果，或内存不足\n"
     "  2  命令行有误，或输入文件无法读取（不存在、缺少关键列、引号未闭合）\n"
     "  3  已完成，但有行被拒绝或存在错误，逐行列于标准错误或报告中：check（错误\n"
     "     类问题）、index update、读取文件或处理多行的 intake 和 enrol 步骤（见各命令\n"
     "     的 --help）；match 不使用此状态：状态为错误的行也是结果\n"
     "  4  intake、enrol：业务流程拒绝了该步骤（信息中说明原因）\n"},
    {"help.match",
     "Usage: xjlink match --registry R.csv --roster Q.csv --out OUT.csv [OPTIONS]\n"
     "\n"
     "Matches every roster row against the registry on the five key fields and\n"
     "writes the roster's columns unchanged followed by:\n"
     "  status      matched, pending, not_found or error (with --lang zh:\n"
     "              已匹配学前学籍, 待确认学前学籍, 未查到学前学籍, 错误)\n"
     "  match_id    registry id of the matched record (matched only)\n"
     "  candidates  registry ids of the candidates, best first, joined by ';'\n"
     "  score       score of the best candidate\n"
     "  reasons     why: the best candidate's agreement per field, or the errors\n"
     "  weights     the best candidate's part of the score per field, e.g.\n"
     "              name=pinyin(+6.0) dob=exact(+10.0) ... (they sum to score)\n"
     "Rows that cannot be read (wrong number of fields, a NUL byte) get status\n"
     "error with the reason; no row is dropped, and the values of a row past the\n"
     "header are kept in its reason, as CSV.\n"
     "\n"
     "Options:\n"
     "  --registry FILE        registry CSV (e.g. the preschool records)\n"
     "  --index FILE           or the registry's index file (`xjlink index build`):\n"
     "                         opened with bounds checks instead of reading the CSV\n"
     "                         (checksums: `xjlink index verify`)\n"
     "  --roster FILE          roster CSV to match\n"
     "  --out FILE             output CSV ('-' for stdout), or an Excel workbook: FILE.xlsx\n"
     "  --id-column C          registry column with the record id (default: the\n"
     "                         first of 学前学籍ID, 学籍ID, record_id, id; else the\n"
     "                         row number)\n"
     "  --threads N            worker threads (default 0: all cores)\n"
     "  --max-candidates K     candidates kept per row (default 10)\n"
     "  --match-without-id     match a row without ID number automatically when a\n"
     "                         record without one agrees on the other four fields\n"
     "                         and its name is unique (default: pending)\n"
     "  --encoding E           auto (default), utf-8, gb18030 for both files\n"
     "  --registry-encoding E  the registry's encoding, if it differs\n"
     "  --lang L               en (default) or zh: everything in Chinese\n"
     "  --excel                write a UTF-8 BOM and CRLF so that Excel opens it right\n"
     "  --no-bom               no UTF-8 BOM under --lang zh (it has one by default, as\n"
     "                         zh-CN Excel reads a CSV without one as GBK)\n"
     "  --columns MAP          roster key columns the names do not find, e.g.\n"
     "                         姓名=XSMC,身份证件号=ZJHM (known: 姓名/name/XM, 性别/XBM,\n"
     "                         出生日期/CSRQ, 身份证件类型/SFZJLXM, 身份证件号/SFZJH)\n"
     "  --registry-columns MAP the same for the registry\n"
     "  --progress             progress on stderr even when it is not a terminal\n"
     "  --report FILE          also write a page of the run, FILE.html: counts per\n"
     "                         status, the score distribution with the review\n"
     "                         threshold, the agreement per field, the data-quality\n"
     "                         findings, and each pending row beside its candidates\n"
     "                         with every field's part of the score (one HTML file,\n"
     "                         no script, opens offline)\n"
     "  --report-rows N        pending rows shown in the report at most (default 500;\n"
     "                         the page says how many more there are)\n"
     "\n"
     "Exit status: 0 the roster was matched (rows with status error included:\n"
     "they are results, counted in the summary); 2 usage error or unreadable\n"
     "input; 1 the output could not be written.\n",
     "用法：xjlink match --registry 学籍库.csv --roster 名单.csv --out 结果.csv [选项]\n"
     "\n"
     "按五项关键信息将名单的每一行与学籍库匹配，原样写出名单的各列，其后加上：\n"
     "  处理状态        已匹配学前学籍、待确认学前学籍、未查到学前学籍或错误\n"
     "  匹配学前学籍ID  匹配到的学籍库记录的编号（仅已匹配）\n"
     "  候选学前学籍ID  各候选记录的编号，最可能的在前，以分号分隔\n"
     "  得分            最佳候选的得分\n"
     "  原因            最佳候选各项的一致程度（如证件号一位之差、姓名同音），\n"
     "                  或该行的错误\n"
     "  各项得分        最佳候选各项在得分中所占的分数，相加即为得分\n"
     "无法读取的行（字段数不符、含空字符）状态为错误并写明原因；不丢弃任何一行，\n"
     "超出表头的值以CSV格式保留在原因中。\n"
     "\n"
     "选项：\n"
     "  --registry 文件        学籍库 CSV（如学前学籍）\n"
     "  --index 文件           或学籍库的索引文件（由 `xjlink index build` 生成），\n"
     "                         打开时只做越界检查，不再读取 CSV\n"
     "                         （校验和由 `xjlink index verify` 检查）\n"
     "  --roster 文件          要匹配的名单 CSV\n"
     "  --out 文件             结果 CSV（'-' 表示标准输出），或 Excel 工作簿：文件.xlsx\n"
     "  --id-column 列         学籍库中记录编号所在的列（默认依次找 学前学籍ID、\n"
     "                         学籍ID、record_id、id，都没有则用行号）\n"
     "  --threads N            工作线程数（默认 0：使用全部处理器核）\n"
     "  --max-candidates K     每行保留的候选数（默认 10）\n"
     "  --match-without-id     无证件号的行，若有一条同样无证件号、其余四项一致且\n"
     "                         姓名唯一的记录，则自动匹配（默认：待确认）\n"
     "  --encoding E           两个文件的编码：auto（默认）、utf-8、gb18030\n"
     "  --registry-encoding E  学籍库编码不同时另行指定\n"
     "  --lang L               en（默认）或 zh：全部以中文显示\n"
     "  --excel                写入 UTF-8 BOM 并以 CRLF 换行，便于 Excel 正确打开\n"
     "  --no-bom               --lang zh 时不写 UTF-8 BOM（默认写入：中文版 Excel\n"
     "                         会把没有 BOM 的 CSV 当作 GBK 读取）\n"
     "  --columns 对应关系     列名无法识别时指定名单的关键列，如\n"
     "                         姓名=XSMC,身份证件号=ZJHM（可识别：姓名/name/XM、性别/XBM、\n"
     "                         出生日期/CSRQ、身份证件类型/SFZJLXM、身份证件号/SFZJH）\n"
     "  --registry-columns 对应关系  学籍库的关键列，写法同上\n"
     "  --progress             即使标准错误不是终端也显示进度\n"
     "  --report 文件          同时写出本次匹配的网页（文件.html）：各状态的行数，得分\n"
     "                         分布及待确认阈值，各项的一致程度，数据质量问题，以及\n"
     "                         每个待确认行与其候选记录、各项得分（单个 HTML 文件，\n"
     "                         无脚本，可离线打开）\n"
     "  --report-rows N        网页中最多列出的待确认行数（默认500；网页注明其余行数）\n"
     "\n"
     "退出状态：0 名单已匹配（含状态为错误的行：它们也是结果，计入汇总）；\n"
     "2 用法错误或输入无法读取；1 无法写出结果。\n"},
    {"index.applied_findings", "applied, with findings: %s", "已应用，但有问题：%s"},
    {"index.built",
     "%s: %zu records (%zu bad rows not loaded) in %.2f s; %s: %llu bytes (%.1f bytes/record); "
     "peak RSS %.0f MB\n",
     "%s：%zu条记录（%zu行无法读取，未载入），用时%.2f秒；%s：%llu字节（每条%.1f字节）；内存峰值%."
     "0f兆字节\n"},
    {"index.change.id_exists",
     "%s: a record with the id '%s' is in the index already (update it instead)",
     "%s：学前学籍ID为'%s'的记录已在索引中（请改用修改）"},
    {"index.change.id_too_long", "%s: a record id of %zu bytes (at most %d)",
     "%s：学前学籍ID长%zu字节（至多%d字节）"},
    {"index.change.needs_keys", "an add or update row needs the five key columns: %s",
     "新增或修改行需要五项关键信息列：%s"},
    {"index.change.no_id", "%s: no record with the id '%s'",
     "%s：索引中没有学前学籍ID为'%s'的记录"},
    {"index.column_op_missing", "%s: no op column (op or 操作)", "%s：没有操作列（操作）"},
    {"index.compacted", "%s: %zu change%s folded in, %zu record%s, in %.2f s\n",
     "%s：%zu项修改%.0s已合并，共%zu条记录%.0s，用时%.2f秒\n"},
    {"index.field_too_long", "%s: %zu bytes: %s; not applied", "%s：%zu字节：%s；未应用"},
    {"index.info",
     "file            %s\n"
     "records         %llu (%zu changes not compacted)\n"
     "format version  %u\n"
     "key scheme      %u (name tables %016llx)\n"
     "written by      xjlink %s (this is xjlink %s)\n"
     "stamp           %llu\n"
     "file bytes      %llu (%.1f a record)\n"
     "  entries       %llu\n"
     "  strings       %llu\n"
     "  ID table      %llu\n"
     "  name table    %llu\n"
     "  record ids    %llu\n"
     "  birth dates   %llu\n",
     "文件            %s\n"
     "记录数          %llu（%zu项变更未合并）\n"
     "格式版本        %u\n"
     "键方案          %u（姓名表 %016llx）\n"
     "写出程序        xjlink %s（当前为 xjlink %s）\n"
     "时间戳          %llu\n"
     "文件字节数      %llu（每条%.1f）\n"
     "  记录项        %llu\n"
     "  字符串        %llu\n"
     "  证件号表      %llu\n"
     "  姓名表        %llu\n"
     "  记录编号      %llu\n"
     "  出生日期表    %llu\n"},
    {"index.need_build_args", "one REGISTRY.csv and --out FILE are needed",
     "需要一个学籍库 CSV 和 --out 文件"},
    {"index.need_file", "one index file is needed", "需要一个索引文件"},
    {"index.need_update_args", "REG.xjx and CHANGES.csv are needed", "需要索引文件和修改清单文件"},
    {"index.no_record_id", "no record id", "没有学前学籍ID"},
    {"index.not_an_op", "not an op: add, update or remove (新增, 修改, 删除)",
     "不是操作：应为新增、修改或删除"},
    {"index.not_saved_findings", "not saved; with findings: %s", "未保存；有问题：%s"},
    {"index.nothing_saved", "%s (nothing saved)", "%s（未保存）"},
    {"index.op.add", "add", "新增"},
    {"index.op.remove", "remove", "删除"},
    {"index.op.update", "update", "修改"},
    {"index.overwrites_changes", "--out %s would overwrite the changes", "--out %s 会覆盖修改清单"},
    {"index.overwrites_registry", "--out %s would overwrite the registry", "--out %s 会覆盖学籍库"},
    {"index.record_id_nul", "a NUL byte in the record id", "学前学籍ID含有空字符"},
    {"index.result.not_saved", "not_saved", "未保存"},
    {"index.result.ok", "ok", "成功"},
    {"index.result.refused", "refused", "拒绝"},
    {"index.result.warning", "warning", "警告"},
    {"index.sound", "%s: sound, %zu records\n", "%s：文件完好，%zu条记录\n"},
    {"index.unknown_step", "unknown step '%s' (build, info, verify, update, compact)",
     "未知步骤 '%s'（可用 build、info、verify、update、compact）"},
    {"index.update_header", "line,op,record_id,result,message\n",
     "行号,操作,学前学籍ID,结果,说明\n"},
    {"index.update_summary",
     "%s: %zu row%s: %zu added, %zu updated, %zu removed, %zu refused, %zu with findings in %.3f "
     "s; %s: %zu record%s, %zu change%s not compacted (saved in %.2f s)\n",
     "%s：%zu行%.0s：新增%zu，修改%zu，删除%zu，拒绝%zu，有问题%zu，用时%.3f秒；"
     "%s：共%zu条记录%.0s，%zu项修改%.0s尚未合并（保存用时%.2f秒）\n"},
    {"index.waiting_for_lock", "waiting for another step that changes %s to finish\n",
     "等待另一个修改 %s 的步骤结束\n"},
    {"level.dob.different", "dob=different", "出生日期不同"},
    {"level.dob.exact", "dob=exact", "出生日期一致"},
    {"level.dob.missing", "dob=missing", "出生日期缺失"},
    {"level.dob.one_day", "dob=one_day", "出生日期相差一天"},
    {"level.dob.one_digit", "dob=one_digit", "出生日期一位之差"},
    {"level.dob.swap", "dob=swap", "出生日期月日颠倒"},
    {"level.gender.different", "gender=different", "性别不同"},
    {"level.gender.exact", "gender=exact", "性别一致"},
    {"level.gender.missing", "gender=missing", "性别缺失"},
    {"level.id.different", "id=different", "证件号不同"},
    {"level.id.exact", "id=exact", "证件号一致"},
    {"level.id.missing", "id=missing", "证件号缺失"},
    {"level.id.typo", "id=typo", "证件号一位之差"},
    {"level.name.different", "name=different", "姓名不同"},
    {"level.name.exact", "name=exact", "姓名一致"},
    {"level.name.fuzzy_pinyin", "name=fuzzy_pinyin", "姓名模糊音"},
    {"level.name.lookalike", "name=lookalike", "姓名形近字"},
    {"level.name.missing", "name=missing", "姓名缺失"},
    {"level.name.nosep", "name=nosep", "姓名去分隔符后一致"},
    {"level.name.one_char", "name=one_char", "姓名一字之差"},
    {"level.name.pinyin", "name=pinyin", "姓名同音"},
    {"level.name.swapped", "name=swapped", "姓名顺序颠倒"},
    {"level.name.variant", "name=variant", "姓名繁简一致"},
    {"level.type.class", "type=class", "证件类型同属居民身份证类"},
    {"level.type.different", "type=different", "证件类型不同"},
    {"level.type.exact", "type=exact", "证件类型一致"},
    {"level.type.missing", "type=missing", "证件类型缺失"},
    {"match.block_limit", "block_limit=%zu", "同一检索键的记录超出上限，%zu条记录未比对"},
    {"match.index_options",
     "--index takes no --id-column, --registry-columns or --registry-encoding: they were given to "
     "`xjlink index build`",
     "--index 不接受 --id-column、--registry-columns 或 --registry-encoding：这些已在 `xjlink "
     "index build` 时给出"},
    {"match.max_candidates", "--max-candidates %u: %s", "--max-candidates %u：%s"},
    {"match.need_inputs", "--registry or --index, --roster and --out are needed",
     "需要 --registry 或 --index，以及 --roster 和 --out"},
    {"match.progress", "matching", "匹配中"},
    {"match.summary.registry",
     "registry %s: %zu records (%zu bad rows), loaded and indexed in %.2f s\n",
     "学籍库 %s：%zu条记录（%zu行无法读取），载入并建索引用时%.2f秒\n"},
    {"match.summary.roster",
     "roster %s: %zu rows: %zu matched, %zu pending, %zu not_found, %zu error (%zu unreadable "
     "rows)\n",
     "名单 "
     "%s：%zu行，已匹配学前学籍%zu，待确认学前学籍%zu，未查到学前学籍%zu，错误%zu（其中%"
     "zu行无法读取）\n"},
    {"match.summary.time", "matched in %.2f s, %.0f rows/s\n", "匹配用时%.2f秒，每秒%.0f行\n"},
    {"object.admission", "admission", "录取流程"},
    {"object.batch", "batch", "批次"},
    {"object.graduate", "graduate", "毕业生"},
    {"object.key_change", "key_change", "关键数据变更"},
    {"object.policy", "policy", "策略"},
    {"object.pool", "pool", "毕业生库"},
    {"object.quota", "quota", "招生计划"},
    {"object.quota_request", "quota_request", "招生计划数变更申请"},
    {"object.registration", "registration", "学籍注册申请"},
    {"object.registry", "registry", "学前学籍库"},
    {"object.row", "row", "名单行"},
    {"object.school", "school", "学校"},
    {"object.workspace", "workspace", "工作区"},
    {"output.cannot_write", "cannot write %s: %s", "无法写入 %s：%s"},
    {"output.empty_name", "output: empty file name", "输出文件名为空"},
    {"output.is_directory", "cannot write %s: it is a directory", "无法写入 %s：这是一个目录"},
    {"output.is_input",
     "output %s is an input of this run (the same file): writing it would destroy the input",
     "输出 %s 是本次运行的输入文件（同一文件）：写入会毁掉输入"},
    {"output.no_memory", "out of memory writing %s", "写入 %s 时内存不足"},
    {"output.same_as_input",
     "output %s is the same file as the input %s: writing it would destroy the input",
     "输出 %s 与输入 %s 是同一文件：写入会毁掉输入"},
    {"output.stdout", "cannot write the standard output: %s", "无法写入标准输出：%s"},
    {"output.write_failed", "writing %s failed: %s", "写入 %s 失败：%s"},
    {"reasons.first", "first", "组内首条"},
    {"report.input.records", "records", "记录数"},
    {"report.input.records_count", "%zu records", "%zu条记录"},
    {"report.input.registry", "registry", "学籍库"},
    {"report.input.results", "results", "结果文件"},
    {"report.input.roster", "roster", "名单"},
    {"row.extra_values", "; the values past the header, as CSV: ", "；表头之外的值（CSV格式）："},
    {"row.field_count", "row has %zu fields, the header has %zu; row not loaded",
     "该行有%zu个字段，表头有%zu个；该行未读入"},
    {"row.id_empty", "column %s is empty: a registry record needs its id; row not loaded",
     "字段%s为空：学前学籍记录必须有学籍ID；该行未读入"},
    {"row.id_too_long", "record id of %zu bytes, longer than %d; row not loaded",
     "记录号长%zu字节，超过%d；该行未读入"},
    {"row.key_line_break",
     "column %s holds a line break: a quote opened on line %ld closes on line %ld, so lines "
     "%ld-%ld were read into this row (a stray quote?); row not loaded",
     "字段%s含有换行：第%ld行的引号到第%ld行才闭合，第%ld至%ld行被读进了这一行（多余的引号？）；"
     "该行未读入"},
    {"row.nul", "column %s has a NUL byte; row not loaded", "字段%s含有空字符；该行未读入"},
    {"row.stray_quote",
     "column %s: a quote opened on line %ld closes on line %ld, so lines %ld-%ld were read into "
     "this row (a stray quote?); row not loaded",
     "字段%s：第%ld行的引号到第%ld行才闭合，第%ld至%"
     "ld行被读进了这一行（多余的引号？）；该行未读入"},
    {"status.error", "error", "错误"},
    {"status.matched", "matched", "已匹配学前学籍"},
    {"status.not_found", "not_found", "未查到学前学籍"},
    {"status.pending", "pending", "待确认学前学籍"},
    {"status.unknown", "unknown", "未知"},
    {"value.active", "active", "正常"},
    {"value.admitted", "admitted", "已录取"},
    {"value.approved", "approved", "已通过"},
    {"value.archived", "archived", "已注销"},
    {"value.cancelled", "cancelled", "已取消"},
    {"value.checking", "checking", "查重中"},
    {"value.confirmed", "confirmed", "已确认学前学籍"},
    {"value.deleted", "deleted", "已删除"},
    {"value.done", "done", "已完成"},
    {"value.draft", "draft", "补录中"},
    {"value.error", "error", "错误"},
    {"value.in_pool", "in_pool", "在库"},
    {"value.junior", "junior", "初中"},
    {"value.matched", "matched", "已匹配学前学籍"},
    {"value.moved", "moved", "已转出"},
    {"value.none", "none", "未补录"},
    {"value.not_found", "not_found", "未查到学前学籍"},
    {"value.open", "open", "未提交"},
    {"value.pending", "pending", "待确认"},
    {"value.primary", "primary", "小学"},
    {"value.proof", "proof", "待证明"},
    {"value.queued", "queued", "排队中"},
    {"value.refused", "refused", "已拒绝"},
    {"value.registered", "registered", "已注册"},
    {"value.rejected", "rejected", "未通过"},
    {"value.returned", "returned", "已退回"},
    {"value.self", "self", "自主招生"},
    {"value.senior", "senior", "普通高中"},
    {"value.submitted", "submitted", "已上报"},
    {"value.transfer", "transfer", "转学"},
    {"value.unified", "unified", "统一招生"},
    {"value.unknown", "unknown", "未知"},
    {"value.vocational", "vocational", "中职"},
    {"value.waiting", "waiting", "等待中"},
    {"ws.as_is", "%s", "%s"},
    {"ws.audit.approved", "approved by the authority (主管部门核办): %s number %s",
     "主管部门核办通过：%s学籍号 %s"},
    {"ws.audit.approved_overridden",
     "approved by the authority (主管部门核办): %s number %s; findings overridden: %s because %s",
     "主管部门核办通过：%s学籍号 %s；特批的问题：%s，原因：%s"},
    {"ws.audit.approved_school",
     "school %s: %zu approved, %zu returned as duplicates, %zu held for their findings",
     "学校 %s：通过%zu行，因重复退回%zu行，因存在问题暂缓%zu行"},
    {"ws.audit.archive_transferred", "调档 done (final)", "调档完成（不可撤回）"},
    {"ws.audit.as", " as ", "，学籍号 "},
    {"ws.audit.assigned", "school %s, %d: %s assigned (统一招生)",
     "学校 %s，%d年：已分配 %s（统一招生）"},
    {"ws.audit.assigned_imported",
     "school %s, %d, %s: %zu row%s, %zu admitted (%zu pending a decision), %zu refused",
     "学校 %s，%d年，%s：%zu行%.0s，录取%zu（其中%zu待决定），拒绝%zu"},
    {"ws.audit.cancelled", "否: cancelled (%s)", "否：已取消（%s）"},
    {"ws.audit.check_exported", "national duplicate check (全国查重) batch %lld: %zu records to %s",
     "全国查重第%lld批：%zu条记录导出至 %s"},
    {"ws.audit.check_imported",
     "national duplicate check result %s: %zu row%s, %zu registered, %zu refused, %zu L -> G, %zu "
     "kept temporary, %zu bad",
     "全国查重结果 %s：%zu行%.0s，注册%zu，未通过%zu，临时转正式%zu，保留临时%zu，无法读取%zu"},
    {"ws.audit.check_refused", "national check result: refused: %s", "全国查重结果：未通过：%s"},
    {"ws.audit.check_refused_held",
     "national check result: refused: %s is held already by another record",
     "全国查重结果：未通过：%s 已被其他记录持有"},
    {"ws.audit.check_registered", "national check result: registered as %s",
     "全国查重结果：已注册，学籍号 %s"},
    {"ws.audit.confirmed", "confirmed preschool record %s (确认补录)",
     "已确认学前学籍 %s（确认补录）"},
    {"ws.audit.continued", "是: admission continued despite the double admission",
     "是：不顾重复录取，继续录取"},
    {"ws.audit.decided", "decided by hand: %s%s%s (%s)", "人工决定：%s%s%s（%s）"},
    {"ws.audit.double_admission",
     "double admission: %s (%s) is admitted by %s school %s too (flow %lld, %s, %d)",
     "重复录取：%s（%s）也已被%s学校 %s 录取（流程%lld，%s，%d年）"},
    {"ws.audit.duplicate", "duplicate", "重复"},
    {"ws.audit.edited", "edited and matched again: %s, score %.2f%s%s; before: %s",
     "已修改并重新匹配：%s，得分%.2f%s%s；修改前：%s"},
    {"ws.audit.flow_deleted", "cancelled flow deleted (school %s, %d, graduate %lld)",
     "已删除已取消的流程（学校 %s，%d年，毕业生%lld）"},
    {"ws.audit.formal", "formal", "正式"},
    {"ws.audit.graduate_deleted", "deleted (%s): %s %s %s %s %s", "已删除（%s）：%s %s %s %s %s"},
    {"ws.audit.imported",
     "school %s, %s: %zu row%s, %zu imported (%zu matched, %zu pending, %zu not found, %zu "
     "errors), %zu bad",
     "学校 "
     "%s，%s：%zu行%.0s，导入%zu（已匹配学前学籍%zu，待确认%zu，未查到%zu，错误%zu），无法读取%zu"},
    {"ws.audit.kc_approved",
     "key-data change %lld approved (关键数据变更): %s '%s' -> '%s'; findings: %s; rematch: %s "
     "against the preschool registry, %zu candidate%s%s%s",
     "关键数据变更%lld已批准：%s '%s' → '%s'；问题：%s；重新匹配学前学籍：%s，候选%zu个%.0s%s%s"},
    {"ws.audit.kc_approved_noreg",
     "key-data change %lld approved (关键数据变更): %s '%s' -> '%s'; findings: %s; rematch: "
     "registry not loaded%s%s",
     "关键数据变更%lld已批准：%s '%s' → '%s'；问题：%s；重新匹配：学前学籍库未载入%s%s"},
    {"ws.audit.kc_rejected", "key-data change %lld rejected: %s", "关键数据变更%lld已驳回：%s"},
    {"ws.audit.kc_requested", "key-data change %lld requested (关键数据变更): %s '%s' -> '%s' (%s)",
     "已申请关键数据变更%lld：%s '%s' → '%s'（%s）"},
    {"ws.audit.kept_temporary", "the national duplicate check keeps %s temporary: %s",
     "全国查重后 %s 仍为临时学籍号：%s"},
    {"ws.audit.l_to_g", "L -> G after the national duplicate check: %s -> %s",
     "全国查重后临时学籍号转正式：%s → %s"},
    {"ws.audit.loaded",
     "%s: %zu row%s, %zu inserted, %zu updated, %zu unchanged, %zu bad, %zu warning%s",
     "%s：%zu行%.0s，新增%zu，更新%zu，未变%zu，无法读取%zu，警告%zu%.0s"},
    {"ws.audit.migrated", "schema version %d", "结构版本%d"},
    {"ws.audit.no_reason", "no reason given", "未说明原因"},
    {"ws.audit.not_found_exported", "school %s: %zu not-found rows to %s",
     "学校 %s：%zu行未查到学前学籍的记录导出至 %s"},
    {"ws.audit.off", "off", "关闭"},
    {"ws.audit.on", "on", "开启"},
    {"ws.audit.overridden", "the authority numbers the row despite its findings (%s): %s",
     "主管部门特批，不顾问题（%s）为该行编号：%s"},
    {"ws.audit.policy", "%s: %s, open %s .. %s", "%s：%s，开放%s至%s"},
    {"ws.audit.proof",
     "proof of attendance (无身份证号在校就读证明): %s; the authority decides by hand",
     "无身份证号在校就读证明：%s；由主管部门人工决定"},
    {"ws.audit.quota_decided", "school %s, %d: quota %lld %s", "学校 %s，%d年：招生计划数%lld%s"},
    {"ws.audit.quota_requested", "school %s, %d: quota %lld -> %zu requested (%s)",
     "学校 %s，%d年：申请将招生计划数由%lld改为%zu（%s）"},
    {"ws.audit.quota_set", "school %s, %d: quota %zu", "学校 %s，%d年：招生计划数%zu"},
    {"ws.audit.reg_proof",
     "no citizen ID number: waits for the proof of attendance (无身份证号在校就读证明)",
     "无居民身份证号：等待无身份证号在校就读证明"},
    {"ws.audit.reg_queued", "queued for the national duplicate check (全国查重)", "等待全国查重"},
    {"ws.audit.reg_requested", "school %s, grade %d: %s %s %s; %s",
     "学校 %s，%d年级：%s %s %s；%s"},
    {"ws.audit.resolved",
     "重复招生处理: kept flow %lld (school %s), cancelled flow %lld (school %s): %s",
     "重复招生处理：保留流程%lld（学校 %s），取消流程%lld（学校 %s）：%s"},
    {"ws.audit.restored", "%s restored from 注销: %s", "%s 已从注销恢复：%s"},
    {"ws.audit.returned", "returned to the school: %s", "已退回学校：%s"},
    {"ws.audit.review", "%s: %s%s%s", "%s：%s%s%s"},
    {"ws.audit.reviewed", "admission review (招生录取审核), school %s: %s: %s%s%s",
     "招生录取审核，学校 %s：%s：%s%s%s"},
    {"ws.audit.row_deleted", "deleted (%s): %s", "已删除（%s）：%s"},
    {"ws.audit.row_matched", "%s line %ld: %s, score %.2f, %zu candidate%s%s%s",
     "%s 第%ld行：%s，得分%.2f，候选%zu个%.0s%s%s"},
    {"ws.audit.row_submitted", "reviewed and submitted by the school (学校审核上报)",
     "学校审核上报"},
    {"ws.audit.school_identifier", " identifier=", " 学校标识码："},
    {"ws.audit.school_kind", "school %s: kind %s", "学校 %s：类别%s"},
    {"ws.audit.school_name", " name=", " 名称："},
    {"ws.audit.school_region", " region=", " 行政区划："},
    {"ws.audit.school_set", "school %s:%s%s%s%s%s%s", "学校 %s：%s%s%s%s%s%s"},
    {"ws.audit.submitted",
     "school %s: %zu row%s submitted; %zu wait%s for a confirmation or an edit, %zu for their "
     "supplement, %zu returned row%s for a change",
     "学校 %s：上报%zu行%.0s；%zu行%.0s待确认或修改，%zu行待补录，%zu行已退回待修改%.0s"},
    {"ws.audit.supplement_saved", "supplement saved (补录完成)", "补录完成"},
    {"ws.audit.temporary", "temporary", "临时"},
    {"ws.audit.transfer", "转学: from school %s (flow %lld) to school %s",
     "转学：由学校 %s（流程%lld）转至学校 %s"},
    {"ws.cannot_write", "cannot write %s", "无法写入 %s"},
    {"ws.cli.approved",
     "%zu approved, %zu returned as duplicates, %zu held for their findings (override with a "
     "reason or return them)\n",
     "通过%zu行，%zu行因重复退回，%zu行因存在问题暂缓（请说明原因后特批或退回）\n"},
    {"ws.cli.assigned_imported",
     "%zu row%s: %zu admitted (%zu wait after a double-admission warning), %zu refused\n",
     "%zu行%.0s：录取%zu（其中%zu因重复录取警告等待处理），拒绝%zu\n"},
    {"ws.cli.bad_route", "--route is unified or self, not '%s'",
     "--route 应为 unified（统一招生）或 self（自主招生），而不是 '%s'"},
    {"ws.cli.both_lists", "%zu pupil%s on both lists\n", "%zu名学生%.0s同时在两份名单上\n"},
    {"ws.cli.check_result",
     "%zu registered, %zu refused, %zu L -> G, %zu kept temporary, %zu bad\n",
     "注册%zu，未通过%zu，临时学籍号转正式（L→G）%zu，保留临时学籍号%zu，无法读取%zu\n"},
    {"ws.cli.check_written", "%zu record%s for the national duplicate check written to %s\n",
     "%zu条%.0s全国查重记录已写入 %s\n"},
    {"ws.cli.created", "workspace %s created (schema version %d)\n",
     "已创建工作区 %s（结构版本%d）\n"},
    {"ws.cli.double_warning",
     "warning: %s\nflow %lld waits: 'xjlink enrol continue' (是) or 'xjlink enrol cancel' (否)\n",
     "警告：%s\n流程%lld等待处理：'xjlink enrol continue'（是）或 'xjlink enrol cancel'（否）\n"},
    {"ws.cli.exists", "%s exists already: init creates a new workspace",
     "%s 已存在：init 只创建新的工作区"},
    {"ws.cli.export_csv",
     "%s: the file it writes is CSV, the format the national system takes: name it .csv, not %s",
     "%s：写出的文件为 CSV 格式（全国系统接收的格式）：请以 .csv 命名，而不是 %s"},
    {"ws.cli.imported",
     "%zu row%s imported: %zu 已匹配 matched, %zu 待确认 pending, %zu 未查到 not found, %zu error; "
     "%zu not imported\n",
     "导入%zu行%.0s：已匹配学前学籍%zu，待确认学前学籍%zu，未查到学前学籍%zu，错误%zu；%"
     "zu行未导入\n"},
    {"ws.cli.loaded", "%zu row%s: %zu inserted, %zu updated, %zu unchanged, %zu not loaded\n",
     "%zu行%.0s：新增%zu，更新%zu，未变%zu，未读入%zu\n"},
    {"ws.cli.needs_school", "%s needs --school S", "%s 需要 --school 学校代码"},
    {"ws.cli.needs_school_year", "%s needs --school S --year Y",
     "%s 需要 --school 学校代码 --year 年份"},
    {"ws.cli.no_workspace", "%s: no such workspace (create it with 'xjlink %s init %s')",
     "%s：工作区不存在（用 'xjlink %s init %s' 创建）"},
    {"ws.cli.not_date", "--from/--to '%s' is not a date", "--from/--to '%s' 不是日期"},
    {"ws.cli.not_field_value", "'%s' is not FIELD=VALUE", "'%s' 不是“字段=值”"},
    {"ws.cli.not_found_written", "%zu not-found row%s written to %s\n",
     "%zu行%.0s未查到学前学籍的记录已写入 %s\n"},
    {"ws.cli.not_number", "%s '%s' is not a number from %lld to %lld",
     "%s '%s' 不是%lld到%lld之间的整数"},
    {"ws.cli.not_row_id", "'%s' is not a row id", "'%s' 不是行号"},
    {"ws.cli.policy_on_off", "policy --process P needs --on or --off",
     "policy --process P 需要 --on 或 --off"},
    {"ws.cli.policy_process", "policy: --on, --off, --from and --to need --process P",
     "policy：--on、--off、--from 和 --to 需要 --process P"},
    {"ws.cli.schools_counted",
     "%zu schools counted (with an identifier code and at least one pupil)\n",
     "统计了%zu所学校（有学校标识码且至少有一名学生）\n"},
    {"ws.cli.stays", "stays: row %s %s (%s)\n", "未上报：第%s行 %s（%s）\n"},
    {"ws.cli.stays.error", "error: edit its key fields", "错误：请修改关键信息"},
    {"ws.cli.stays.pending", "pending: confirm a candidate or declare none",
     "待确认：请确认候选学前学籍或声明无"},
    {"ws.cli.stays.returned", "returned: change it first", "已退回：请先修改"},
    {"ws.cli.stays.supplement", "supplement not done", "补录未完成"},
    {"ws.cli.submitted", "%zu row%s submitted, %zu stay%s behind\n",
     "已上报%zu行%.0s，%zu行未上报%.0s\n"},
    {"ws.cli.supplement_kept",
     "kept: the %zu value%s given (the supplement stays a draft until it is saved with --done)\n",
     "所给的%zu项%.0s已保存（补录仍为草稿，用 --done 保存后才完成）\n"},
    {"ws.cli.unknown_subcommand", "unknown subcommand '%s'", "未知子命令 '%s'"},
    {"ws.cli.usage.admit", "admit needs WS.db NUMBER", "admit 需要 WS.db 学籍号"},
    {"ws.cli.usage.assign", "assign needs WS.db NUMBER", "assign 需要 WS.db 学籍号"},
    {"ws.cli.usage.confirm", "confirm needs WS.db ROW RECORD_ID",
     "confirm 需要 WS.db 行号 学前学籍ID"},
    {"ws.cli.usage.cross_check", "cross-check needs SENIOR.csv VOCATIONAL.csv",
     "cross-check 需要 普通高中.csv 中职.csv"},
    {"ws.cli.usage.decide_key_change",
     "decide-key-change needs WS.db REQUEST and --approve or --reject",
     "decide-key-change 需要 WS.db 申请号以及 --approve 或 --reject"},
    {"ws.cli.usage.decide_quota", "decide-quota needs WS.db REQUEST and --approve or --reject",
     "decide-quota 需要 WS.db 申请号以及 --approve 或 --reject"},
    {"ws.cli.usage.decide_register",
     "decide-register needs WS.db REQUEST, --approve or --reject, and --reason NOTE",
     "decide-register 需要 WS.db 申请号、--approve 或 --reject，以及 --reason 说明"},
    {"ws.cli.usage.delete_graduate", "delete-graduate needs WS.db NUMBER",
     "delete-graduate 需要 WS.db 学籍号"},
    {"ws.cli.usage.double", "double needs --year Y", "double 需要 --year 年份"},
    {"ws.cli.usage.export_check", "export-check needs WS.db OUT.csv",
     "export-check 需要 WS.db 输出.csv"},
    {"ws.cli.usage.export_not_found", "export-not-found needs WS.db --school S OUT.csv",
     "export-not-found 需要 WS.db --school 学校代码 输出.csv"},
    {"ws.cli.usage.flow", "%s needs WS.db ADMISSION", "%s 需要 WS.db 录取流程号"},
    {"ws.cli.usage.graduate", "graduate needs WS.db NUMBER", "graduate 需要 WS.db 学籍号"},
    {"ws.cli.usage.import", "import needs WS.db --school S ROSTER.csv",
     "import 需要 WS.db --school 学校代码 名单.csv"},
    {"ws.cli.usage.import_assigned", "import-assigned needs WS.db LIST.csv",
     "import-assigned 需要 WS.db 名单.csv"},
    {"ws.cli.usage.import_check", "import-check needs WS.db RESULT.csv",
     "import-check 需要 WS.db 查重结果.csv"},
    {"ws.cli.usage.key_change", "key-change needs WS.db ROW FIELD=VALUE --reason R",
     "key-change 需要 WS.db 行号 字段=值 --reason 原因"},
    {"ws.cli.usage.load_graduates", "load-graduates needs WS.db GRAD.csv",
     "load-graduates 需要 WS.db 毕业生.csv"},
    {"ws.cli.usage.load_registry", "load-registry needs WS.db REG.csv",
     "load-registry 需要 WS.db 学籍库.csv"},
    {"ws.cli.usage.override", "override needs --reason R (it goes into the audit trail)",
     "override 需要 --reason 原因（记入操作日志）"},
    {"ws.cli.usage.proof", "proof needs WS.db REQUEST --proof REF",
     "proof 需要 WS.db 申请号 --proof 证明编号"},
    {"ws.cli.usage.register", "register needs --grade N (2-12)",
     "register 需要 --grade 年级（2至12）"},
    {"ws.cli.usage.request_quota", "request-quota needs --quota N",
     "request-quota 需要 --quota 招生计划数"},
    {"ws.cli.usage.resolve", "resolve needs WS.db KEEP CANCEL --reason R",
     "resolve 需要 WS.db 保留流程号 取消流程号 --reason 原因"},
    {"ws.cli.usage.restore", "restore needs WS.db NUMBER", "restore 需要 WS.db 学籍号"},
    {"ws.cli.usage.return", "return needs --reason R: the school reads it",
     "return 需要 --reason 原因：学校据此修改"},
    {"ws.cli.usage.review",
     "review needs WS.db ADMISSION --stage K and --approve or --reject [--reason R]",
     "review 需要 WS.db 录取流程号 --stage 学段以及 --approve 或 --reject [--reason 原因]"},
    {"ws.cli.usage.school_kind", "school-kind needs --school S --kind K",
     "school-kind 需要 --school 学校代码 --kind 类别"},
    {"ws.cli.usage.school_transfer", "school-transfer needs WS.db ADMISSION --to SCHOOL",
     "school-transfer 需要 WS.db 录取流程号 --to 学校代码"},
    {"ws.cli.usage.show", "show needs WS.db ADMISSION", "show 需要 WS.db 录取流程号"},
    {"ws.cli.usage.stats", "stats needs --year Y", "stats 需要 --year 年份"},
    {"ws.cli.usage.subcommand", "needs a SUBCOMMAND and WS.db", "需要子命令和 WS.db"},
    {"ws.codes.bad_value", "field %s (%s): value '%s' is not %s", "字段%s%.0s：值 '%s' 不是%s"},
    {"ws.codes.expect.date", "a calendar date between 1900 and 2099", "1900年至2099年之间的日期"},
    {"ws.codes.expect.disability", "a 残疾类型 code (0 无残疾, 1-7, 9 其他残疾) or name",
     "残疾类型代码（0 无残疾、1至7、9 其他残疾）或名称"},
    {"ws.codes.expect.ethnicity", "a GB/T 3304 ethnicity code (01-56, 97, 98) or name",
     "GB/T 3304 民族代码（01至56、97、98）或名称"},
    {"ws.codes.expect.gender", "a GB/T 2261.1 gender (0, 1 男, 2 女, 9)",
     "GB/T 2261.1 性别代码（0、1 男、2 女、9）"},
    {"ws.codes.expect.hmt", "a 港澳台侨外 code (00, 01-06, 11-14, 21, 31, 41, 51, 99) or name",
     "港澳台侨外代码（00、01至06、11至14、21、31、41、51、99）或名称"},
    {"ws.codes.expect.hukou", "a 户口性质 code (1 农业户口, 2 非农业户口)",
     "户口性质代码（1 农业户口、2 非农业户口）"},
    {"ws.codes.expect.id_number", "a usable ID number", "可用的证件号"},
    {"ws.codes.expect.id_number_because", "a usable ID number (%s)", "可用的证件号（%s）"},
    {"ws.codes.expect.id_type", "a JY/T 1001 ID document type (1, 2 .. 9, A, B, C, Z or its name)",
     "JY/T 1001 身份证件类型（1、2至9、A、B、C、Z 或其名称）"},
    {"ws.codes.expect.left_behind", "a 留守儿童 code (0 否, 1 单亲留守, 2 双亲留守)",
     "留守儿童代码（0 否、1 单亲留守、2 双亲留守）"},
    {"ws.codes.expect.name", "a name (it is required)", "姓名（必填）"},
    {"ws.codes.expect.nationality",
     "a GB/T 2659 alpha-3 country or region code (CHN, HKG, USA, ...)",
     "GB/T 2659 三字母国家或地区代码"},
    {"ws.codes.expect.region",
     "a GB/T 2260 region code (6 digits, or the 9/12-digit statistical code)",
     "GB/T 2260 行政区划代码（6位，或9位、12位统计用代码）"},
    {"ws.codes.expect.usable_name", "a usable name (invalid characters or too long)",
     "可用的姓名（含无效字符或过长）"},
    {"ws.codes.expect.yes_no", "0 否 or 1 是", "0 否或1 是"},
    {"ws.codes.not_field", "not a supplement field: '%s'", "不是补录字段：'%s'"},
    {"ws.codes.not_field_hint",
     "not a supplement field: '%s' (expected e.g. 民族码, 出生地码, 现住址)",
     "不是补录字段：'%s'（应为民族码、出生地码、现住址等）"},
    {"ws.codes.not_field_number", "not a supplement field: %d", "不是补录字段：%d"},
    {"ws.codes.not_utf8", "field %s (%s): value is not valid UTF-8 (byte %zu)",
     "字段%s%.0s：值不是有效的 UTF-8 编码（第%zu字节）"},
    {"ws.codes.too_long", "field %s (%s): value of %zu bytes is longer than %d",
     "字段%s%.0s：值长%zu字节，超过%d"},
    {"ws.diag.double_waits",
     "warning: double admission, flow %lld waits: the other admission is flow %lld",
     "警告：重复录取，流程%lld等待处理：另一录取为流程%lld"},
    {"ws.diag.id_warning", "warning: %s (record loaded)", "警告：%s（记录已读入）"},
    {"ws.diag.not_01", "not 0/1 (否/是)", "不是0或1（否或是）"},
    {"ws.diag.not_county", "not a 6-digit GB/T 2260 county code",
     "不是6位 GB/T 2260 县级行政区划代码"},
    {"ws.diag.not_number", "not a national student number (G, J or L and 18 characters)",
     "不是全国学籍号（G、J 或 L 加18位）"},
    {"ws.diag.not_stage", "not a finished stage (小学/primary or 初中/junior)",
     "不是已毕业的学段（小学或初中）"},
    {"ws.diag.nul", "contains a NUL byte", "含有空字符"},
    {"ws.diag.number_twice",
     "this 学籍号 is on line %ld of the file already (one record a number); row not loaded",
     "该学籍号已在本文件第%ld行出现（一个学籍号一条记录）；该行未读入"},
    {"ws.diag.record_id", "record id is empty, contains a NUL byte or is longer than 256 bytes",
     "记录号为空、含有空字符或超过256字节"},
    {"ws.diag.region_unknown",
     "warning: region code unknown to GB/T 2260 1980-2019 (record loaded)",
     "警告：GB/T 2260（1980至2019年）中没有该行政区划代码（记录已读入）"},
    {"ws.diag.required_empty", "required value is empty", "必填值为空"},
    {"ws.enrol.admitted_elsewhere", "%s (%s) is admitted by %s school %s already (flow %lld, %s)",
     "%s（%s）已被%s学校 %s 录取（流程%lld，%s）"},
    {"ws.enrol.admitted_here", "%s (%s) is admitted by school %s already (flow %lld, %s)",
     "%s（%s）已被学校 %s 录取（流程%lld，%s）"},
    {"ws.enrol.ambiguous",
     "no unambiguous graduate for this row (%s, %zu candidate%s): admit it by its 学籍号",
     "该行找不到唯一的毕业生（%s，候选%zu个%.0s）：请按学籍号录取"},
    {"ws.enrol.archived",
     "%s (%s) cannot be admitted: the record was archived (已注销) as a problem record; the "
     "authority must restore it first",
     "%s（%s）不能录取：该记录已作为问题学籍注销（已注销），须由主管部门先恢复"},
    {"ws.enrol.cancelled_flow",
     "%s (%s) has a cancelled admission flow %lld at school %s: delete it before starting a new "
     "one",
     "%s（%s）有已取消的录取流程%lld（学校 %s）：须先删除才能重新开始"},
    {"ws.enrol.column_nul", "column %s contains a NUL byte", "字段%s含有空字符"},
    {"ws.enrol.grad_deleted", "%s (%s) cannot be admitted: the graduate record was deleted",
     "%s（%s）不能录取：毕业生记录已删除"},
    {"ws.enrol.graduate_admitted", "admitted by school %s (flow %lld): cannot be deleted",
     "已被学校 %s 录取（流程%lld）：不能删除"},
    {"ws.enrol.graduate_columns",
     "%s: the graduate list needs the columns 学籍号, 学段 and 是否毕业 with the five key fields",
     "%s：毕业生名单需要学籍号、学段、是否毕业三列以及五项关键信息"},
    {"ws.enrol.graduate_formal",
     "a %c number is a formal national student number (G and J numbers are for life): only a "
     "record with a temporary number (L) may be deleted",
     "%c 学籍号为正式全国学籍号（G、J 学籍号终身不变）：只有持临时学籍号（L）的记录可以删除"},
    {"ws.enrol.graduate_refused", "graduate %s (%s): %s", "毕业生 %s（%s）：%s"},
    {"ws.enrol.keep_and_cancel", "flow %lld cannot be kept and cancelled",
     "流程%lld不能既保留又取消"},
    {"ws.enrol.kind_held", "school %s is %s and holds %lld admissions: its kind cannot become %s",
     "学校 %s 为%s，已有%lld条录取：其类别不能改为%s"},
    {"ws.enrol.list_columns", "%s: the list needs a 学籍号 column or the five key fields",
     "%s：名单需要学籍号一列或五项关键信息"},
    {"ws.enrol.need.number", "a national student number", "全国学籍号"},
    {"ws.enrol.need.school", "a school code", "学校代码"},
    {"ws.enrol.need.to_school", "the school transferred to", "转入学校"},
    {"ws.enrol.no_kind",
     "school %s admits nobody: its kind (junior, senior, vocational) is not set",
     "学校 %s 不能录取：未设学校类别（初中、普通高中、中职）"},
    {"ws.enrol.no_number_no_keys", "no 学籍号 and no key fields", "既无学籍号也无关键信息"},
    {"ws.enrol.no_quota", "no quota set for school %s in %d", "学校 %s 在%d年未设招生计划数"},
    {"ws.enrol.no_quota_enrol",
     "school %s has no quota (招生计划数) for %d: the authority sets it before enrolment",
     "学校 %s 在%d年没有招生计划数：须由主管部门在招生前设定"},
    {"ws.enrol.not_assigned",
     "%s (%s) is not on a list the authority assigned to school %s for %d: unified enrolment "
     "(统一招生) admits only those",
     "%s（%s）不在主管部门分配给学校 %s 的%d年名单上：统一招生只录取名单上的学生"},
    {"ws.enrol.not_double", "flows %lld and %lld admit different graduates: not a double admission",
     "流程%lld和%lld录取的是不同的毕业生：不是重复录取"},
    {"ws.enrol.not_graduate",
     "%s (%s) cannot be admitted: not a graduate of the previous stage (非毕业生)",
     "%s（%s）不能录取：不是上一学段的毕业生（非毕业生）"},
    {"ws.enrol.not_kind", "school %s: %d is not a school kind", "学校 %s：%d 不是学校类别"},
    {"ws.enrol.number_nul", "the 学籍号 contains a NUL byte", "学籍号含有空字符"},
    {"ws.enrol.quota_full",
     "school %s has used its whole quota of %lld for %d (%lld admitted, pending or transferred "
     "in): no more admissions; file a quota-change request (招生计划数变更申请)",
     "学校 %s "
     "的招生计划数%lld（%d年）已用完（已录取、待确认或转入共%"
     "lld人）：不能再录取；请提交招生计划数变更申请"},
    {"ws.enrol.quota_too_small",
     "school %s has %lld admissions for %d already: a quota of %zu is too small",
     "学校 %s 已有%lld条%d年的录取：招生计划数%zu太小"},
    {"ws.enrol.refuse_flow", "cannot %s admission flow %lld (school %s, %s): %s",
     "不能%s（录取流程%lld，学校 %s，%s）：%s"},
    {"ws.enrol.reject_reason", "rejecting admission flow %lld needs a reason",
     "驳回录取流程%lld需要原因"},
    {"ws.enrol.request_no_quota", "school %s has no quota for %d yet: the authority sets it first",
     "学校 %s 在%d年尚无招生计划数：须由主管部门先设定"},
    {"ws.enrol.request_not_larger",
     "school %s: the requested quota %zu is not larger than the current %lld",
     "学校 %s：申请的招生计划数%zu不大于现有的%lld"},
    {"ws.enrol.request_open", "school %s has quota request %lld open for %d already",
     "学校 %s 已有%lld号招生计划数变更申请（%d年）未决"},
    {"ws.enrol.request_stale",
     "quota request %lld asks for %lld, but school %s's quota for %d is %lld already: reject it",
     "%lld号招生计划数变更申请要求%lld，但学校 %s 在%d年的招生计划数已为%lld：请驳回"},
    {"ws.enrol.required", "%s is required", "需要%s"},
    {"ws.enrol.resolve_reason", "resolving a double admission needs a reason",
     "处理重复录取需要原因"},
    {"ws.enrol.route", "admissions are unified or self; transfers go through %s",
     "录取方式为统一招生或自主招生；转学须用 %s"},
    {"ws.enrol.self_no_grad_region",
     "%s (%s): self enrolment (自主招生) needs the graduate's county, which the pool does not give",
     "%s（%s）：自主招生需要毕业生的所在县，毕业生库中没有"},
    {"ws.enrol.self_no_school_region",
     "%s (%s): self enrolment (自主招生) needs school %s's county code, which is not set (xjlink "
     "intake school --region)",
     "%s（%s）：自主招生需要学校 %s 的县级区划代码，尚未设定（xjlink intake school --region）"},
    {"ws.enrol.self_same_county",
     "%s (%s): self enrolment (自主招生) takes graduates of another county of the province; "
     "graduate county %06ld, school county %06ld",
     "%s（%s）：自主招生只招本省其他县的毕业生；毕业生所在县%06ld，学校所在县%06ld"},
    {"ws.enrol.transfer_kind", "school %s is %s, not %s like %s: a transfer stays in the stage",
     "学校 %s 为%s，不是%s（%s 的类别）：转学不能跨学段"},
    {"ws.enrol.verb.continue", "continue", "继续录取"},
    {"ws.enrol.verb.keep", "keep", "保留"},
    {"ws.enrol.verb.review", "review", "审核"},
    {"ws.enrol.verb.transfer_archive", "transfer the archive of", "调档"},
    {"ws.enrol.verb.transfer_pupil", "transfer the pupil of", "转学"},
    {"ws.enrol.why.same_school", "the pupil is at that school already", "该学生已在该校"},
    {"ws.enrol.why.stage",
     "the education stage (教育阶段) selected is %s, but school %s is %s: select the school's "
     "stage",
     "所选教育阶段为%s，但学校 %s 为%s：请选择该校的学段"},
    {"ws.enrol.wrong_stage", "%s (%s) finished %s: a %s school admits %s graduates",
     "%s（%s）毕业于%s：%s学校录取%s毕业生"},
    {"ws.enrol.year_range", "year %d is outside 2000-2100", "年份%d不在2000至2100之间"},
    {"ws.hint.admission.done",
     "the archive transfer (调档) is final: only a school transfer (转学) moves the pupil",
     "调档已完成，不可撤回：只有转学能转走该学生"},
    {"ws.hint.admission.pending",
     "waiting for the decision on a double admission (continue or cancel it)",
     "等待重复录取的决定（继续或取消）"},
    {"ws.hint.graduate.archived", "archived (注销): the authority restores it first",
     "已注销：须由主管部门先恢复"},
    {"ws.hint.registration.checking", "in the national duplicate check", "全国查重中"},
    {"ws.hint.registration.proof", "waiting for the proof of attendance (无身份证号在校就读证明)",
     "等待无身份证号在校就读证明"},
    {"ws.hint.registration.queued", "waiting for the monthly national duplicate check",
     "等待每月的全国查重"},
    {"ws.hint.row.approved",
     "registered with a national student number: its key fields change by a key-data change "
     "(关键数据变更)",
     "已注册全国学籍号：关键信息只能通过关键数据变更修改"},
    {"ws.hint.row.submitted",
     "under the authority's review (学校已上报): wait for approval or its return",
     "学校已上报，主管部门审核中：请等待通过或退回"},
    {"ws.holder.graduate", "graduate", "毕业生"},
    {"ws.holder.registration", "registration request", "注册申请"},
    {"ws.holder.row", "row", "名单行"},
    {"ws.intake.bad_identifier",
     "school %s: identifier '%s' is not a 10-digit school identifier code",
     "学校 %s：'%s' 不是10位学校标识码"},
    {"ws.intake.bad_region", "school %s: region %ld is not a 6-digit GB/T 2260 code",
     "学校 %s：行政区划%ld不是6位 GB/T 2260 代码"},
    {"ws.intake.confirm_pulled",
     "cannot confirm preschool record %s for row %lld: it is pulled (调档) by school %s (row %lld)",
     "不能确认学前学籍 %s（第%lld行）：该记录已被学校 %s 调档（第%lld行）"},
    {"ws.intake.delete_done",
     "cannot delete row %lld: it is %s and its supplement is done "
     "(不能删除已匹配且已完成补录的学生)",
     "不能删除第%lld行：该行为%s且已完成补录（不能删除已匹配且已完成补录的学生）"},
    {"ws.intake.delete_formal",
     "cannot delete row %lld: it holds the formal national student number %s (a G record may not "
     "be deleted)",
     "不能删除第%lld行：该行持有正式全国学籍号 %s（G 记录不能删除）"},
    {"ws.intake.edit_duplicate",
     "cannot edit row %lld: citizen number %s is already on school %s's list as row %lld",
     "不能修改第%lld行：居民身份证号 %s 已在学校 %s 的名单上（第%lld行）"},
    {"ws.intake.edit_same",
     "cannot edit row %lld: a row without a citizen number with the same five fields (%s, %s, %s, "
     "%s, %s) is already on school %s's list as row %lld",
     "不能修改第%lld行：五项信息相同（%s、%s、%s、%s、%s）且无居民身份证号的一行已在学校 %s "
     "的名单上（第%lld行）"},
    {"ws.intake.five_on_list",
     "a row without a citizen number with the same five fields (%s, %s, %s, %s, %s) is already on "
     "school %s's list as row %lld",
     "五项信息相同（%s、%s、%s、%s、%s）且无居民身份证号的一行已在学校 %s 的名单上（第%lld行）"},
    {"ws.intake.id_on_list", "ID number %s is already on school %s's list as row %lld",
     "证件号 %s 已在学校 %s 的名单上（第%lld行）"},
    {"ws.intake.no_birth_date", "row %lld has no usable birth date for a temporary number",
     "第%lld行没有可用于临时学籍号的出生日期"},
    {"ws.intake.no_column", "%s: no column %s (%s)", "%s：没有%s一列%.0s"},
    {"ws.intake.no_free_number",
     "no free temporary number for region %06ld and birth date %04d-%02d-%02d",
     "行政区划%06ld、出生日期%04d-%02d-%02d已无可用的临时学籍号"},
    {"ws.intake.no_record", "no registry record '%s'", "学籍库中没有记录 '%s'"},
    {"ws.intake.no_supplement", "row %lld is %s: it has no supplement yet",
     "第%lld行为%s：尚未补录"},
    {"ws.intake.nothing_to_approve", "school %s has no submitted rows to approve",
     "学校 %s 没有已上报待审核的行"},
    {"ws.intake.nothing_to_submit",
     "school %s has nothing to submit: %zu row%s wait%s for a confirmation or an edit, %zu for "
     "their supplement, %zu returned row%s for a change",
     "学校 %s 没有可上报的行：%zu行%.0s%.0s待确认或修改，%zu行待补录，%zu行已退回待修改%.0s"},
    {"ws.intake.out_of_memory_supplement", "out of memory for a supplement",
     "存放补录信息时内存不足"},
    {"ws.intake.override_reason",
     "overriding the findings of row %lld needs the authority's reason",
     "特批第%lld行的问题需要主管部门的原因"},
    {"ws.intake.registry_empty",
     "the preschool registry is empty: load it first (xjlink intake load-registry)",
     "学前学籍库为空：请先载入（xjlink intake load-registry）"},
    {"ws.intake.return_reason",
     "returning row %lld needs the authority's reason: the school reads it to know what to fix",
     "退回第%lld行需要主管部门的原因：学校据此知道要改什么"},
    {"ws.intake.school_no_region",
     "school %s has no region code, needed for temporary student numbers: set it (%s, xjlink "
     "intake school)",
     "学校 %s 没有行政区划代码，临时学籍号需要它：请设定（%s，xjlink intake school）"},
    {"ws.intake.school_required", "a school code is required", "需要学校代码"},
    {"ws.intake.school_required_fn", "%s: a school code is required", "%s：需要学校代码"},
    {"ws.intake.supplement_bad", "row %lld: %s; nothing was changed", "第%lld行：%s；未做任何修改"},
    {"ws.intake.supplement_key",
     "cannot change %s (%s) of row %lld in the supplement: the five key fields come from the "
     "preschool record and change only through a key-data change after registration "
     "(关键数据变更); nothing was changed",
     "不能在补录中修改%s%.0s（第%"
     "lld行）：五项关键信息来自学前学籍，注册后只能通过关键数据变更修改；未做任何修改"},
    {"ws.intake.supplement_missing",
     "cannot finish the supplement of row %lld: required fields are empty: %s%s",
     "不能完成第%lld行的补录：必填字段为空：%s%s"},
    {"ws.intake.supplement_missing_keys", " (key fields: edit the row)",
     "（关键信息：请修改该行）"},
    {"ws.intake.unknown_school",
     "school %s is not known: the authority adds it first (xjlink intake school --school %s)",
     "学校 %s 不存在：须由主管部门先添加（xjlink intake school --school %s）"},
    {"ws.keychange.before_registration",
     "%s; before registration a row's key fields change by editing it",
     "%s；注册前修改该行即可改关键信息"},
    {"ws.keychange.five_only",
     "a key-data change is for the five key fields (name, gender, birth_date, id_type, id_number); "
     "the others are supplement fields",
     "关键数据变更只用于五项关键信息（姓名、性别、出生日期、身份证件类型、身份证件号）；其余为补录"
     "字段"},
    {"ws.keychange.held",
     "key-data change %lld: the new citizen number is held already by %s %lld (查重: only one "
     "record per citizen number)",
     "关键数据变更%lld：新的居民身份证号已被%s%lld持有（查重：每个居民身份证号只能有一条记录）"},
    {"ws.keychange.not_registered", "row %lld has no registered record",
     "第%lld行没有已注册的学籍"},
    {"ws.keychange.on_list",
     "key-data change %lld: with the new value the pupil is on school %s's list twice (row %lld)",
     "关键数据变更%lld：按新值，该学生在学校 %s 的名单上重复（第%lld行）"},
    {"ws.keychange.open", "row %lld has key-data change %lld open already",
     "第%lld行已有未决的关键数据变更%lld"},
    {"ws.keychange.reason", "a key-data change of row %lld needs a reason",
     "第%lld行的关键数据变更需要原因"},
    {"ws.keychange.same", "row %lld: %s is '%s' already", "第%lld行：%s已是 '%s'"},
    {"ws.listing.out_of_memory", "out of memory for a table cell of %zu bytes",
     "存放%zu字节的表格单元时内存不足"},
    {"ws.listing.outside", "table cell %zu,%zu outside %zu x %zu", "表格单元%zu,%zu超出%zu×%zu"},
    {"ws.no_admission", "no admission flow %lld", "没有编号为%lld的录取流程"},
    {"ws.no_graduate_number", "no graduate with number '%s' in the pool",
     "毕业生库中没有学籍号为 '%s' 的毕业生"},
    {"ws.no_intake_row", "no intake row with id %lld", "没有编号为%lld的入学名单行"},
    {"ws.note.duplicate",
     "duplicate: %s is held already (%s %lld); only one record of a citizen number may be approved",
     "重复：%s 已被%s%lld持有；每个居民身份证号只能通过一条记录"},
    {"ws.note.held",
     "held: no national student number while the key fields have findings (%s); the authority "
     "overrides with a reason or returns the row",
     "暂缓：关键信息存在问题（%s），不发全国学籍号；主管部门可说明原因后特批，或退回该行"},
    {"ws.note.held_by_graduate", "warning: %s is held already by graduate %lld of the pool",
     "警告：%s 已被毕业生库中的毕业生%lld持有"},
    {"ws.note.held_by_registration", "warning: %s is held already by registration request %lld",
     "警告：%s 已被注册申请%lld持有"},
    {"ws.note.held_by_row", "warning: %s is held already by row %lld of school %s",
     "警告：%s 已被第%lld行（学校 %s）持有"},
    {"ws.note.held_by_row_as",
     "warning: ID number %s is that of row %lld of school %s, which holds student number %s",
     "警告：证件号 %s 属于第%lld行（学校 %s），其学籍号为 %s"},
    {"ws.note.pulled",
     "the matching preschool record is pulled (调档) by school %s (row %lld): locked until that "
     "school releases it",
     "匹配的学前学籍已被学校 %s 调档（第%lld行）：该校释放前锁定"},
    {"ws.null_argument", "%s: NULL argument", "%s：参数为空指针（NUL）"},
    {"ws.null_workspace", "%s: NULL workspace", "%s：工作区为空指针（NUL）"},
    {"ws.object.admission_flow", "admission flow", "录取流程"},
    {"ws.object.graduate", "graduate", "毕业生"},
    {"ws.object.key-data_change", "key-data change", "关键数据变更"},
    {"ws.object.quota_request", "quota request", "招生计划数变更申请"},
    {"ws.object.registration_request", "registration request", "学籍注册申请"},
    {"ws.object.row", "row", "名单行"},
    {"ws.out_of_memory", "out of memory", "内存不足"},
    {"ws.out_of_memory_findings", "out of memory for a row's findings", "记录一行的问题时内存不足"},
    {"ws.out_of_memory_matching", "out of memory matching %s", "匹配 %s 时内存不足"},
    {"ws.out_of_memory_reading", "out of memory reading %s", "读取 %s 时内存不足"},
    {"ws.out_of_memory_result", "out of memory for the result", "存放结果时内存不足"},
    {"ws.register.bad_request", "申请号 '%s' is not a request id", "申请号 '%s' 不是申请编号"},
    {"ws.register.bad_result", "结果 '%s' is not 通过 (pass) or 重复 (duplicate)",
     "结果 '%s' 既不是通过也不是重复"},
    {"ws.register.grade",
     "grade %d: registration outside grade 1 is for grades 2-12 (grade 1 pupils come through "
     "intake)",
     "年级%d：非小学一年级学籍注册只用于2至12年级（一年级学生经入学流程注册）"},
    {"ws.register.held", "%s is held already (%s %lld)", "%s 已被%s%lld持有"},
    {"ws.register.key_errors", "the pupil's key fields have errors: %s",
     "该学生的关键信息有错误：%s"},
    {"ws.register.need_request", "a row needs 申请号 or a temporary 学籍号 (L…)",
     "每行需要申请号或临时学籍号（L…）"},
    {"ws.register.no_birth_date", "request %lld has no usable birth date",
     "申请%lld没有可用的出生日期"},
    {"ws.register.no_citizen", "row %lld (%s) has no valid citizen number for a G number",
     "第%lld行（%s）没有可生成 G 学籍号的有效居民身份证号"},
    {"ws.register.no_free_number", "no free J number for region %06ld and %04d-%02d-%02d",
     "行政区划%06ld、出生日期%04d-%02d-%02d已无可用的 J 学籍号"},
    {"ws.register.no_proof", "the proof of attendance is not recorded yet", "尚未登记在校就读证明"},
    {"ws.register.no_region",
     "school %s has no region code, needed for a J number: set it (xjlink intake school --region)",
     "学校 %s 没有行政区划代码，J 学籍号需要它：请设定（xjlink intake school --region）"},
    {"ws.register.no_row_number", "no row holds the temporary number %s",
     "没有行持有临时学籍号 %s"},
    {"ws.register.note_required", "%s: the authority's note is required", "%s：需要主管部门的说明"},
    {"ws.register.other_batch", "request %lld is in the check of batch %lld, not of %lld",
     "申请%lld属于第%lld批查重，不属于第%lld批"},
    {"ws.register.proof_required", "%s: the proof's reference is required", "%s：需要证明的编号"},
    {"ws.register.refused", "registration request %lld (%s): %s", "学籍注册申请%lld（%s）：%s"},
    {"ws.register.result_columns", "%s: the centre's result needs 结果 and 申请号 or 学籍号",
     "%s：查重结果需要结果一列，以及申请号或学籍号一列"},
    {"ws.register.result_duplicate", "duplicate in the national check", "全国查重发现重复"},
    {"ws.register.result_held", "%s is held already by another record", "%s 已被其他记录持有"},
    {"ws.role.city", "city", "市级"},
    {"ws.role.county", "county", "县级"},
    {"ws.role.province", "province", "省级"},
    {"ws.role.school", "school", "学校"},
    {"ws.states.hint_sep", ", ", "，"},
    {"ws.states.list_sep", ", ", "、"},
    {"ws.states.no_action", "%s: no action '%s' in the %s workflow", "%s：没有操作 '%s'（%s流程）"},
    {"ws.states.none", "none", "无"},
    {"ws.states.not_kind",
     "not a school kind: '%s' (primary 小学, junior 初中, senior 高中, vocational 中职)",
     "不是学校类别：'%s'（小学、junior 初中、senior 高中、vocational 中职）"},
    {"ws.states.not_status",
     "not a row status: '%s' (matched, pending, not_found, error, confirmed)",
     "不是名单行状态：'%s'（matched、pending、not_found、error、confirmed）"},
    {"ws.states.refused", "cannot %s %s %lld: it is %s%s%s; '%s' is taken only from: %s",
     "不能%s（%s%lld）：其状态为%s%s%s；该操作%.0s只能从以下状态进行：%s"},
    {"ws.states.refused_status", "cannot %s %s %lld: it is %s (%s); '%s' takes only a %s %s",
     "不能%s（%s%lld）：其为%s%.0s；该操作%.0s只适用于%s的%s"},
    {"ws.store.admission_deleted", "admission flow %lld was deleted", "录取流程%lld已删除"},
    {"ws.store.admission_deleted_already", "admission flow %lld was deleted already",
     "录取流程%lld已经删除"},
    {"ws.store.bad_constant",
     "workspace statement %d names a constant the library does not know, or names one before a "
     "numbered parameter",
     "工作区语句%d引用了本程序不认识的常量，或在编号参数之前引用了常量"},
    {"ws.store.bad_version", "damaged workspace %s: schema version %d is not one a workspace has",
     "工作区 %s 已损坏：结构版本%d不是工作区的版本"},
    {"ws.store.busy", "%s%sworkspace busy: another process held it past the busy timeout (%s: %s)",
     "%s%s工作区忙：另一进程占用超过等待时限（%s：%s）"},
    {"ws.store.cannot_open", "cannot open workspace %s: %s", "无法打开工作区 %s：%s"},
    {"ws.store.db_error", "%s%sworkspace database error in %s: %s (SQLite %d)",
     "%s%s工作区数据库在%s时出错：%s（错误码%d）"},
    {"ws.store.foreign",
     "not a workspace: %s is an SQLite database of another application (application id %d)",
     "不是工作区：%s 是其他程序的数据库（程序标识%d）"},
    {"ws.store.graduate_deleted", "graduate %lld was deleted already", "毕业生%lld已经删除"},
    {"ws.store.integrity", "workspace integrity check failed: %s", "工作区完整性检查未通过：%s"},
    {"ws.store.negative_timeout", "busy timeout %d ms is negative", "等待时限%d毫秒为负数"},
    {"ws.store.newer",
     "workspace schema version %d is newer than this library's (%d): upgrade xjlink",
     "工作区结构版本%d比本程序的（%d）新：请升级 xjlink"},
    {"ws.store.no_graduate_id", "no graduate with id %lld", "没有编号为%lld的毕业生"},
    {"ws.store.no_key_change", "no key-data change request %lld",
     "没有编号为%lld的关键数据变更申请"},
    {"ws.store.no_quota_request", "no quota request %lld", "没有编号为%lld的招生计划数变更申请"},
    {"ws.store.no_registration", "no registration request %lld", "没有编号为%lld的学籍注册申请"},
    {"ws.store.no_registry_record", "no registry record with id %lld",
     "学籍库中没有编号为%lld的记录"},
    {"ws.store.nomem", "%s%sout of memory in SQLite (%s)", "%s%s数据库内存不足（%s）"},
    {"ws.store.not_candidate", "record '%s' is not a candidate of row %lld",
     "记录 '%s' 不是第%lld行的候选"},
    {"ws.store.not_sqlite", "not a workspace: the file is not an SQLite database (%s)",
     "不是工作区：该文件不是数据库文件（%s）"},
    {"ws.store.opened_for_reading", "workspace %s was opened for reading only: %s changes it",
     "工作区 %s 以只读方式打开，不能执行修改操作（%s）"},
    {"ws.store.out_of_memory_admissions", "out of memory reading admissions",
     "读取录取信息时内存不足"},
    {"ws.store.out_of_memory_open", "out of memory opening workspace %s",
     "打开工作区 %s 时内存不足"},
    {"ws.store.out_of_memory_record", "out of memory reading a record", "读取记录时内存不足"},
    {"ws.store.out_of_memory_result", "out of memory for the result of %s",
     "存放%s的结果时内存不足"},
    {"ws.store.out_of_memory_rows", "out of memory listing rows", "列出名单行时内存不足"},
    {"ws.store.quota_decided", "quota request %lld is decided already",
     "招生计划数变更申请%lld已有决定"},
    {"ws.store.read_only",
     "workspace %s is read-only (this user may not write the file or its folder): only the "
     "listings can open it",
     "工作区 %s 为只读（当前用户不能写入该文件或其所在文件夹）：只能用于查询列表"},
    {"ws.store.reader_in_memory", "a workspace in memory cannot be opened for reading",
     "内存中的工作区不能以只读方式打开"},
    {"ws.store.reader_old_schema",
     "workspace %s has schema version %d, this library's is %d: open it once for a write "
     "step to upgrade it before listing",
     "工作区 %s 的结构版本为 %d，本库为 %d：请先以可写方式执行一次操作以完成升级，再查询列表"},
    {"ws.store.row_deleted", "row %lld was deleted", "第%lld行已删除"},
    {"ws.store.row_deleted_already", "row %lld was deleted already", "第%lld行已经删除"},
    {"ws.store.version_changed",
     "damaged workspace: schema version %d changed to %d while it was opened",
     "工作区已损坏：打开期间结构版本由%d变为%d"},
    {"ws.verb.admission.cancel", "cancel", "取消"},
    {"ws.verb.admission.continue", "continue", "继续"},
    {"ws.verb.admission.delete", "delete", "删除"},
    {"ws.verb.admission.resolve-cancel", "cancel (重复招生处理)", "取消（重复招生处理）"},
    {"ws.verb.admission.resolve-keep", "keep (重复招生处理)", "保留（重复招生处理）"},
    {"ws.verb.admission.review-approve", "approve (招生录取审核)", "通过（招生录取审核）"},
    {"ws.verb.admission.review-reject", "reject (招生录取审核)", "驳回（招生录取审核）"},
    {"ws.verb.admission.school-transfer", "transfer the pupil of", "转学"},
    {"ws.verb.admission.transfer-archive", "transfer the archive of", "调档"},
    {"ws.verb.graduate.delete", "delete", "删除"},
    {"ws.verb.graduate.restore", "restore", "恢复"},
    {"ws.verb.key-change.approve", "approve", "批准"},
    {"ws.verb.key-change.reject", "reject", "驳回"},
    {"ws.verb.quota-request.approve", "approve", "批准"},
    {"ws.verb.quota-request.reject", "reject", "驳回"},
    {"ws.verb.registration.decide", "decide by hand", "人工决定"},
    {"ws.verb.registration.export-check", "export for the national check", "导出全国查重"},
    {"ws.verb.registration.import-check", "take the national check's result for",
     "导入全国查重结果"},
    {"ws.verb.registration.proof", "record the proof of attendance of", "登记在校就读证明"},
    {"ws.verb.row.approve", "approve", "审核通过"},
    {"ws.verb.row.confirm", "confirm a candidate of", "确认候选学前学籍"},
    {"ws.verb.row.delete", "delete", "删除"},
    {"ws.verb.row.edit", "edit", "修改"},
    {"ws.verb.row.key-change", "request a key-data change of", "申请关键数据变更"},
    {"ws.verb.row.none", "declare none for", "声明无学前学籍"},
    {"ws.verb.row.override", "override the findings of", "特批问题"},
    {"ws.verb.row.return", "return", "退回"},
    {"ws.verb.row.submit", "submit", "上报"},
    {"ws.verb.row.supplement", "supplement", "补录"},
    {"ws.verb.row.supplement-done", "save the supplement of", "保存补录"},
    {"ws.what.adding_a_row", "adding a row", "添加名单行"},
    {"ws.what.admitting", "admitting", "录取"},
    {"ws.what.approving", "approving", "审核"},
    {"ws.what.assigning_a_graduate", "assigning a graduate", "分配毕业生"},
    {"ws.what.changing_a_graduate_record", "changing a graduate record", "修改毕业生记录"},
    {"ws.what.changing_an_admission_flow", "changing an admission flow", "变更录取流程"},
    {"ws.what.deciding_a_key_data_change", "deciding a key-data change", "审批关键数据变更"},
    {"ws.what.deciding_a_quota_request", "deciding a quota request", "审批招生计划数变更申请"},
    {"ws.what.deciding_a_registration_by_hand", "deciding a registration by hand",
     "人工决定学籍注册"},
    {"ws.what.exporting_not_found_rows", "exporting not-found rows", "导出未查到学前学籍的行"},
    {"ws.what.exporting_the_national_duplicate_check", "exporting the national duplicate check",
     "导出全国查重"},
    {"ws.what.importing_a_list", "importing a list", "导入名单"},
    {"ws.what.importing_an_assigned_list", "importing an assigned list", "导入分配名单"},
    {"ws.what.importing_the_national_duplicate_check", "importing the national duplicate check",
     "导入全国查重结果"},
    {"ws.what.listing_a_school_s_rows", "listing a school's rows", "列出学校的名单行"},
    {"ws.what.listing_admissions", "listing admissions", "列出录取"},
    {"ws.what.listing_key_data_changes", "listing key-data changes", "列出关键数据变更"},
    {"ws.what.listing_registrations", "listing registrations", "列出学籍注册申请"},
    {"ws.what.loading_the_graduate_pool", "loading the graduate pool", "载入毕业生库"},
    {"ws.what.loading_the_preschool_registry", "loading the preschool registry", "载入学前学籍库"},
    {"ws.what.reading_a_flow", "reading a flow", "查看录取流程"},
    {"ws.what.reading_a_quota", "reading a quota", "查看招生计划数"},
    {"ws.what.reading_a_row", "reading a row", "查看名单行"},
    {"ws.what.reading_a_supplement", "reading a supplement", "查看补录信息"},
    {"ws.what.recording_a_proof_of_attendance", "recording a proof of attendance",
     "登记在校就读证明"},
    {"ws.what.requesting_a_key_data_change", "requesting a key-data change", "申请关键数据变更"},
    {"ws.what.requesting_a_quota", "requesting a quota", "申请变更招生计划数"},
    {"ws.what.requesting_a_registration", "requesting a registration", "申请学籍注册"},
    {"ws.what.resolving_a_double_admission", "resolving a double admission", "处理重复录取"},
    {"ws.what.reviewing_an_admission", "reviewing an admission", "审核录取"},
    {"ws.what.setting_a_quota", "setting a quota", "设定招生计划数"},
    {"ws.what.setting_a_school", "setting a school", "设定学校"},
    {"ws.what.setting_a_school_s_kind", "setting a school's kind", "设定学校类别"},
    {"ws.what.setting_the_policy", "setting the policy", "设定策略"},
    {"ws.what.submitting", "submitting", "上报"},
    {"ws.what.transferring_into", "transferring a pupil into the school", "转入该学校"},
    {"ws.workspace.any", "(any)", "（不限）"},
    {"ws.workspace.authority_step",
     "%s is a step of the authority (主管部门): a school operator (%s) may not do it",
     "%s是主管部门的操作：学校操作员（%s）不能进行"},
    {"ws.workspace.closed", "'%s' is closed on %s: the workspace's policy opens it %s .. %s",
     "'%s' 在%s不开放：工作区的策略开放时间为%s至%s"},
    {"ws.workspace.host_closed", "'%s' is closed on %s: outside the date window the host set",
     "'%s' 在%s不开放：不在宿主程序设定的日期范围内"},
    {"ws.workspace.host_off", "the feature '%s' is switched off by the host's policy",
     "功能 '%s' 已被宿主程序的策略关闭"},
    {"ws.workspace.no_random", "no random bytes from the system for a temporary number",
     "系统未提供生成临时学籍号所需的随机数"},
    {"ws.workspace.not_date", "day number %ld is not a date", "日序号%ld不是日期"},
    {"ws.workspace.not_process",
     "not a process: '%s' (intake, intake-authority, enrol, enrol-authority, key-change, "
     "registration)",
     "不是业务：'%s'（intake、intake-authority、enrol、enrol-authority、key-"
     "change、registration）"},
    {"ws.workspace.not_role", "not a role: '%s' (school, county, city, province)",
     "不是角色：'%s'（school、county、city、province）"},
    {"ws.workspace.not_role_number", "%d is not a role", "%d 不是角色"},
    {"ws.workspace.out_of_memory_index", "out of memory indexing the workspace",
     "为工作区建索引时内存不足"},
    {"ws.workspace.region_outside", "%s: region %s is outside the scope of this %s operator (%s)",
     "%s：行政区划 %s 不在本%s操作员的范围（%s）内"},
    {"ws.workspace.region_scope", "the scope of a %s operator is a 6-digit region code, not '%s'",
     "%s操作员的范围是6位行政区划代码，而不是 '%s'"},
    {"ws.workspace.school_outside", "%s: school %s is outside the scope of this %s operator (%s)",
     "%s：学校 %s 不在本%s操作员的范围（%s）内"},
    {"ws.workspace.school_scope", "a school operator's scope is the school's code",
     "学校操作员的范围是学校代码"},
    {"ws.workspace.switched_off", "'%s' is switched off in the workspace's policy (by %s)",
     "'%s' 已在工作区的策略中关闭（由 %s 设定）"},
    {"ws.workspace.window_dates", "a date window of '%s' is not made of dates",
     "'%s' 的日期范围不是由日期组成"},
    {"ws.workspace.window_order", "the window of '%s' ends before it opens",
     "'%s' 的日期范围结束早于开始"},
    {"xjx.cannot_open", "cannot open %s: %s", "无法打开 %s：%s"},
    {"xjx.empty", "index file %s is empty", "索引文件 %s 为空"},
    {"xjx.foreign", "%s is not an xjlink index file (no magic number)",
     "%s 不是 xjlink 索引文件（缺少文件标识）"},
    {"xjx.header_checksum", "index file %s: the header's checksum does not match",
     "索引文件 %s：文件头校验和不符"},
    {"xjx.key_scheme",
     "index file %s: key scheme %u with %u-byte entries (written by xjlink %.15s), this library "
     "has scheme %u: rebuild the index",
     "索引文件 %s：键方案%u，每项%u字节（由 xjlink %.15s 写出），本程序为方案%u：请重新生成索引"},
    {"xjx.name_tables",
     "index file %s: written by xjlink %.15s with other name tables (pinyin, "
     "Traditional→Simplified): its keys would not find this library's; rebuild the index",
     "索引文件 %s：由 xjlink %.15s "
     "以不同的姓名表（拼音、繁简转换）写出，其键与本程序不符：请重新生成索引"},
    {"xjx.newer",
     "index file %s: format version %u, newer than this library's %u (written by xjlink %.15s): "
     "rebuild it or update xjlink",
     "索引文件 %s：格式版本%u，比本程序的%u新（由 xjlink %.15s 写出）：请重新生成索引或升级 "
     "xjlink"},
    {"xjx.older",
     "index file %s: format version %u, older than this library's %u (written by xjlink %.15s): "
     "rebuild the index",
     "索引文件 %s：格式版本%u，比本程序的%u旧（由 xjlink %.15s 写出）：请重新生成索引"},
    {"xjx.truncated", "index file %s: truncated to %zu bytes", "索引文件 %s：不完整，只有%zu字节"},
    {"xjx.truncated_body", "index file %s: %llu bytes of the %llu its header gives: truncated",
     "索引文件 %s：只有%llu字节，文件头记载为%llu字节：文件不完整"},
    {"xjx.truncated_header", "index file %s: truncated to %llu bytes, inside its header",
     "索引文件 %s：不完整，只有%llu字节，文件头未写完"},
    {"xlsx.where_row", "file %s row %ld", "文件 %s 第%ld行"},
};

static int by_id(const void *key, const void *elem)
{
    return strcmp(key, ((const struct message *)elem)->id);
}

static const struct message *find(const char *id)
{
    if (!id)
        return NULL;
    return bsearch(id, messages, XJL_ARRAY_LEN(messages), sizeof messages[0], by_id);
}

XJL_API const char *xjl_message(const char *id, xjl_lang lang)
{
    const struct message *m = find(id);
    if (!m)
        return id ? id : "";
    return lang == XJL_LANG_ZH ? m->zh : m->en;
}

XJL_API bool xjl_message_exists(const char *id)
{
    return find(id) != NULL;
}

XJL_API size_t xjl_message_count(void)
{
    return XJL_ARRAY_LEN(messages);
}

XJL_API const char *xjl_message_id(size_t i)
{
    return i < XJL_ARRAY_LEN(messages) ? messages[i].id : NULL;
}
