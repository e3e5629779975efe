#!/usr/bin/env python3
"""Writes the agency directory of a province-sized deployment (deploy/config/agencies.yaml format).

A real province has a people's committee, some 20 departments (Sở) with their units, 10-30
districts with their offices, hundreds of communes, and commune-level units (schools, health
stations) that also exchange documents. The directory this writes has that shape over the four
directory levels, with Vietnamese names (diacritics included, so search with and without them can
be tested), and OrganIds in the legacy QCVN 102 form XXX.YY.ZZ.<province> where ZZ is the
second-level unit, YY the third and XXX the fourth.

Usage: generate-province.py --agencies N --out FILE [--province H41] [--name "Nghệ An"]
                            [--subscription inbox|none] [--webhook URL]
                            [--envelope-signature required|if_present|off]

The output is deterministic: the same arguments give the same file, so several bus instances
(and tests) that generate it agree. The first agencies written are parents of the later ones,
and the demo province's six OrganIds are part of it, so demo tokens and certificates still work.
"""
import argparse
import re
import sys

DEPARTMENTS = [
    "Sở Nội vụ", "Sở Tư pháp", "Sở Kế hoạch và Đầu tư", "Sở Tài chính", "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội", "Sở Văn hóa và Thể thao", "Sở Du lịch",
    "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh", "Ban Dân tộc", "Ban Quản lý Khu kinh tế Đông Nam",
]
DEPARTMENT_UNITS = ["Văn phòng", "Thanh tra", "Chi cục", "Trung tâm", "Phòng Kế hoạch - Tài chính"]
DISTRICTS = [
    ("huyện", "Nghi Lộc"), ("huyện", "Diễn Châu"), ("thành phố", "Vinh"), ("thị xã", "Cửa Lò"),
    ("thị xã", "Thái Hòa"), ("thị xã", "Hoàng Mai"), ("huyện", "Quỳnh Lưu"),
    ("huyện", "Yên Thành"), ("huyện", "Đô Lương"), ("huyện", "Thanh Chương"),
    ("huyện", "Nam Đàn"), ("huyện", "Hưng Nguyên"), ("huyện", "Anh Sơn"), ("huyện", "Con Cuông"),
    ("huyện", "Tương Dương"), ("huyện", "Kỳ Sơn"), ("huyện", "Quế Phong"), ("huyện", "Quỳ Châu"),
    ("huyện", "Quỳ Hợp"), ("huyện", "Nghĩa Đàn"), ("huyện", "Tân Kỳ"),
]
DISTRICT_OFFICES = [
    "Văn phòng HĐND và UBND", "Phòng Nội vụ", "Phòng Tư pháp", "Phòng Tài chính - Kế hoạch",
    "Phòng Kinh tế", "Phòng Tài nguyên và Môi trường", "Phòng Lao động - Thương binh và Xã hội",
    "Phòng Văn hóa và Thông tin", "Phòng Giáo dục và Đào tạo", "Phòng Y tế",
]
COMMUNE_FIRST = ["Nghi", "Diễn", "Hưng", "Quỳnh", "Thanh", "Nam", "Đức", "Yên", "Tân", "Xuân"]
COMMUNE_SECOND = [
    "Phong", "Thái", "Kim", "Lộc", "Hòa", "Sơn", "Thành", "Long", "Đồng", "Trung", "Lâm",
    "Mỹ", "Phú", "Hải", "Tiến", "Thịnh", "Bình", "An", "Lợi", "Vạn", "Cát", "Châu", "Diệu",
    "Điền", "Giang", "Hạnh", "Hiệp", "Hồng", "Khánh", "Liên", "Minh", "Nghĩa", "Ngọc", "Nhân",
    "Quang", "Tâm", "Thắng", "Thượng", "Trường", "Văn", "Việt", "Vinh",
]
COMMUNE_UNITS = [
    "Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trạm Y tế", "Công an",
    "Hợp tác xã nông nghiệp", "Ban Chỉ huy Quân sự", "Thư viện",
]
COMMUNES_PER_DISTRICT = 20


def code(fourth, third, second, province):
    return f"{fourth:03d}.{third:02d}.{second:02d}.{province}"


# The demo directory's communes keep their codes and names: (YY, ZZ) -> name.
DEMO_COMMUNES = {(1, 1): "Nghi Phong", (2, 1): "Nghi Thái", (1, 2): "Diễn Kim"}


def commune_names():
    """Distinct commune names (the demo's are left out: they are placed by DEMO_COMMUNES)."""
    return [f"{first} {second}" for second in COMMUNE_SECOND for first in COMMUNE_FIRST
            if f"{first} {second}" not in DEMO_COMMUNES.values()]


def province_tree(province, province_name, wanted):
    """Agencies as (code, name, level, parent), parents before children, at least `wanted`."""
    root = code(0, 0, 0, province)
    out = [(root, f"UBND tỉnh {province_name}", "province", None)]
    districts = [(code(0, 0, i + 1, province), f"UBND {kind} {name}", name)
                 for i, (kind, name) in enumerate(DISTRICTS)]
    out += [(c, n, "district", root) for c, n, _ in districts]
    departments = [(code(0, 0, 31 + i, province), n) for i, n in enumerate(DEPARTMENTS)]
    out += [(c, n, "department", root) for c, n in departments]
    # Communes: YY 01..20 within each district; the demo's communes keep their codes.
    names = iter(commune_names())
    communes = []
    for slot in range(COMMUNES_PER_DISTRICT):
        for d, (dcode, _, _) in enumerate(districts):
            name = DEMO_COMMUNES.get((slot + 1, d + 1)) or next(names)
            communes.append((code(0, slot + 1, d + 1, province), f"UBND xã {name}", dcode))
    out += [(c, n, "commune", p) for c, n, p in communes]
    for d, (dcode, _, dname) in enumerate(districts):
        for i, office in enumerate(DISTRICT_OFFICES):
            out.append((code(0, 60 + i, d + 1, province), f"{office} {dname}", "district", dcode))
    for s, (scode, sname) in enumerate(departments):
        for i, unit in enumerate(DEPARTMENT_UNITS):
            out.append((code(0, 60 + i, 31 + s, province), f"{unit} - {sname}", "department",
                        scode))
    # Commune-level units fill the rest: XXX numbers the unit within its commune.
    per_commune = max(0, -(-(wanted - len(out)) // len(communes)))
    for n in range(per_commune):
        for c, cname, _ in communes:
            third, second = int(c.split(".")[1]), int(c.split(".")[2])
            place = cname.removeprefix("UBND ")
            out.append((code(n + 1, third, second, province),
                        f"{COMMUNE_UNITS[n % len(COMMUNE_UNITS)]} {place}"
                        + (f" số {n // len(COMMUNE_UNITS) + 1}" if n >= len(COMMUNE_UNITS) else ""),
                        "commune", c))
    return out[:wanted] if wanted >= 1 else out[:1]


def yaml_quote(text):
    return "'" + text.replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--agencies", type=int, required=True, help="how many agencies (>= 1)")
    ap.add_argument("--out", required=True, help="the directory file to write ('-' = stdout)")
    ap.add_argument("--province", default="H41", help="the province's code suffix (default H41)")
    ap.add_argument("--name", default="Nghệ An", help="the province's name")
    ap.add_argument("--subscription", choices=["inbox", "none"], default=None,
                    help="each agency's subscription (default inbox, the pull inbox)")
    ap.add_argument("--webhook", help="instead: every agency subscribes this http_webhook URL")
    ap.add_argument("--envelope-signature", choices=["required", "if_present", "off"])
    args = ap.parse_args()
    capacity = 1 + len(DISTRICTS) * (1 + COMMUNES_PER_DISTRICT * 1000 + len(DISTRICT_OFFICES)) \
        + len(DEPARTMENTS) * (1 + len(DEPARTMENT_UNITS))
    if not 1 <= args.agencies <= capacity:
        ap.error(f"--agencies must be from 1 to {capacity} (XXX.YY.ZZ codes hold 999 units "
                 "per commune)")
    if not re.fullmatch(r"[A-Za-z0-9]{1,8}", args.province):
        ap.error("--province must be 1-8 letters or digits (the code suffix, e.g. H41)")
    if not args.name.strip() or any(ord(ch) < 32 for ch in args.name):
        ap.error("--name must be a non-empty single line")
    if args.webhook and args.subscription == "none":
        ap.error("--webhook and --subscription none contradict each other")
    lines = [f"# Generated by deploy/tools/generate-province.py --agencies {args.agencies}: "
             f"a province-sized directory ({args.name}, {args.province}).", "agencies:"]
    for c, name, level, parent in province_tree(args.province, args.name, args.agencies):
        lines += [f"  - code: {c}", f"    name: {yaml_quote(name)}", f"    level: {level}"]
        if parent:
            lines.append(f"    parent: {parent}")
        if args.envelope_signature:
            lines.append(f"    envelope_signature: {args.envelope_signature}")
        if args.webhook:
            lines += ["    subscriptions:", "      - type: http_webhook",
                      f"        settings: {{url: {yaml_quote(args.webhook)}}}"]
        elif args.subscription != "none":
            lines += ["    subscriptions:", "      - type: inbox", "        settings: {}"]
    text = "\n".join(lines) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
    else:
        try:
            with open(args.out, "w", encoding="utf-8") as f:
                f.write(text)
        except OSError as e:
            sys.exit(f"generate-province.py: cannot write --out {args.out}: {e.strerror}")


if __name__ == "__main__":
    main()
