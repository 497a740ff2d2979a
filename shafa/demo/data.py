"""The demo university's fixed data: names, counties, schools, departments, programs, sites.

Everything about people here is fictional. The university is Qazvin University of Medical
Sciences (QUMS, founded 1363 = 1984, which began with medicine); the years given for the later
schools, the programs and the counts are the demo's plausible reconstruction, not history.
The six teaching hospitals in Qazvin carry the names of QUMS's teaching hospitals; every other
site has a clearly generic name. Bed counts are invented.
"""

from __future__ import annotations

DEMO_NOTE_FA = "دادهٔ نمایشی: افراد ساختگی‌اند و سال‌های پس از ۱۳۶۳ بازسازی فرضی است، نه تاریخ."
DEMO_NOTE_EN = (
    "Demo data: the people are fictional, and the years after 1363 are a plausible "
    "reconstruction, not history."
)

FOUNDED_JALALI = (1363, 1, 1)  # 1 Farvardin 1363 = 21 March 1984
UNIVERSITY: dict[str, str] = {
    "code": "qums",
    "name_fa": "دانشگاه علوم پزشکی قزوین",
    "name_en": "Qazvin University of Medical Sciences",
    "city_fa": "قزوین",
    "city_en": "Qazvin",
    "province_fa": "قزوین",
    "province_en": "Qazvin",
}

FIRST_YEAR = 1363
LAST_YEAR = 1405  # the current academic year (1405–1406)

# The six counties of Qazvin province: (code, Persian, English, weight of population).
COUNTIES = [
    ("qazvin", "قزوین", "Qazvin", 10),
    ("takestan", "تاکستان", "Takestan", 3),
    ("abyek", "آبیک", "Abyek", 2),
    ("buin-zahra", "بوئین‌زهرا", "Buin Zahra", 2),
    ("alborz", "البرز", "Alborz", 3),
    ("avaj", "آوج", "Avaj", 1),
]

# (jalali_year, kind, title_fa, title_en, text_fa, text_en, reconstructed)
# fmt: off
RECONSTRUCTED_FA = " (بازسازی نمایشی: سال دقیق در منبع نیامده و فرضی است.)"
RECONSTRUCTED_EN = " (Demo reconstruction: the source gives no exact year; this one is assumed.)"
MILESTONES = [
    (1363, "founding", "تأسیس دانشگاه با رشتهٔ پزشکی", "Founded, beginning with medicine",
     "دانشگاه در ۱۳۶۳ برای تربیت پزشک برای استان قزوین بنیان نهاده شد و نخست دورهٔ پزشکی عمومی را آغاز کرد.",
     "The university was founded in 1363 (1984) to train doctors for Qazvin province, beginning with "
     "the general medicine (MD) program.", False),
    (1365, "school", "دانشکدهٔ پرستاری و مامایی", "School of Nursing and Midwifery",
     "آموزش پرستاری و مامایی آغاز شد.", "Nursing and midwifery education began.", True),
    (1368, "clinical", "پیوستن بیمارستان‌ها به شبکهٔ آموزشی", "Hospitals join the teaching network",
     "بیمارستان‌های شهر قزوین بیمارستان آموزشی شدند و کارآموزی و کارورزی در آن‌ها آغاز شد.",
     "The city's hospitals became teaching hospitals, hosting clerkships and internships.", True),
    (1370, "school", "دانشکدهٔ بهداشت", "School of Health",
     "آموزش بهداشت عمومی و مهندسی بهداشت محیط آغاز شد.",
     "Public health and environmental health engineering began.", True),
    (1372, "school", "دانشکدهٔ پیراپزشکی", "School of Paramedical Sciences",
     "رشته‌های اتاق عمل، هوشبری، علوم آزمایشگاهی و رادیولوژی آغاز شد.",
     "Operating room, anaesthesia, laboratory sciences and radiology programs began.", True),
    (1374, "school", "دانشکدهٔ دندانپزشکی", "School of Dentistry",
     "دورهٔ دکترای حرفه‌ای دندانپزشکی آغاز شد.", "The DDS program began.", True),
    (1376, "clinical", "شبکهٔ مراکز سلامت شش شهرستان", "Health-centre network across six counties",
     "مراکز خدمات جامع سلامت و خانه‌های بهداشت در شش شهرستان استان عرصهٔ آموزش شدند.",
     "Comprehensive health service centres and health houses in the province's six counties became "
     "training sites.", True),
    (1380, "research", "معاونت پژوهشی و مراکز تحقیقاتی", "Research office and research centres",
     "پژوهش در رشته‌های گوناگون پزشکی سازمان یافت و مراکز تحقیقاتی پدید آمد.",
     "Research across medical fields was organised and research centres were established.", True),
    (1385, "program", "دوره‌های دستیاری تخصصی", "Specialty residencies",
     "نخستین دوره‌های دستیاری تخصصی در گروه‌های بالینی پذیرش کردند.",
     "The clinical departments admitted their first specialty residents.", True),
    (1390, "school", "دانشکدهٔ داروسازی", "School of Pharmacy",
     "دورهٔ دکترای حرفه‌ای داروسازی آغاز شد.", "The PharmD program began.", True),
]

SCHOOLS = [
    # (code, kind, name_fa, name_en, founded)
    ("medicine", "medicine", "دانشکده پزشکی", "School of Medicine", 1363),
    ("nursing-midwifery", "nursing_midwifery", "دانشکده پرستاری و مامایی",
     "School of Nursing and Midwifery", 1365),
    ("health", "health", "دانشکده بهداشت", "School of Health", 1370),
    ("paramedical", "paramedical", "دانشکده پیراپزشکی", "School of Paramedical Sciences", 1372),
    ("dentistry", "dentistry", "دانشکده دندانپزشکی", "School of Dentistry", 1374),
    ("pharmacy", "pharmacy", "دانشکده داروسازی", "School of Pharmacy", 1390),
]  # fmt: skip

# school code → [(department code, name_fa, name_en, is_clinical, faculty weight)]
DEPARTMENTS = {
    "medicine": [
        ("anatomy", "علوم تشریحی", "Anatomical Sciences", False, 3),
        ("physiology", "فیزیولوژی", "Physiology", False, 3),
        ("biochemistry", "بیوشیمی بالینی", "Clinical Biochemistry", False, 2),
        ("pharmacology", "فارماکولوژی", "Pharmacology", False, 2),
        ("microbiology", "میکروب‌شناسی", "Microbiology", False, 2),
        ("pathology", "پاتولوژی", "Pathology", True, 2),
        ("community-medicine", "پزشکی اجتماعی", "Community Medicine", False, 2),
        ("internal-medicine", "داخلی", "Internal Medicine", True, 8),
        ("surgery", "جراحی عمومی", "General Surgery", True, 5),
        ("paediatrics", "کودکان", "Paediatrics", True, 5),
        ("obgyn", "زنان و زایمان", "Obstetrics and Gynaecology", True, 5),
        ("psychiatry", "روانپزشکی", "Psychiatry", True, 2),
        ("neurology", "نورولوژی", "Neurology", True, 2),
        ("cardiology", "قلب و عروق", "Cardiology", True, 3),
        ("infectious-diseases", "بیماری‌های عفونی", "Infectious Diseases", True, 2),
        ("emergency-medicine", "طب اورژانس", "Emergency Medicine", True, 3),
        ("anaesthesiology", "بیهوشی", "Anaesthesiology", True, 3),
        ("radiology", "رادیولوژی", "Radiology", True, 2),
        ("orthopaedics", "ارتوپدی", "Orthopaedics", True, 2),
        ("ophthalmology", "چشم‌پزشکی", "Ophthalmology", True, 2),
        ("ent", "گوش و حلق و بینی", "Otorhinolaryngology", True, 1),
        ("dermatology", "پوست", "Dermatology", True, 1),
    ],
    "nursing-midwifery": [
        ("medical-surgical-nursing", "پرستاری داخلی و جراحی", "Medical-Surgical Nursing", True, 4),
        ("paediatric-nursing", "پرستاری کودکان", "Paediatric Nursing", True, 2),
        ("community-nursing", "پرستاری سلامت جامعه", "Community Health Nursing", True, 2),
        ("midwifery", "مامایی", "Midwifery", True, 3),
    ],
    "health": [
        ("epidemiology", "اپیدمیولوژی و آمار زیستی", "Epidemiology and Biostatistics", False, 2),
        ("environmental-health", "مهندسی بهداشت محیط", "Environmental Health Engineering", False, 2),
        ("occupational-health", "مهندسی بهداشت حرفه‌ای", "Occupational Health Engineering", False, 2),
        ("health-education", "آموزش بهداشت و ارتقای سلامت", "Health Education and Promotion", False, 2),
    ],
    "paramedical": [
        ("operating-room", "اتاق عمل", "Operating Room Technology", True, 2),
        ("anaesthesia-technology", "هوشبری", "Anaesthesia Technology", True, 2),
        ("laboratory-sciences", "علوم آزمایشگاهی", "Laboratory Sciences", False, 2),
        ("radiology-technology", "تکنولوژی پرتوشناسی", "Radiology Technology", False, 2),
        ("medical-emergencies", "فوریت‌های پزشکی", "Medical Emergencies", True, 1),
    ],
    "dentistry": [
        ("oral-surgery", "جراحی دهان، فک و صورت", "Oral and Maxillofacial Surgery", True, 1),
        ("orthodontics", "ارتودنسی", "Orthodontics", True, 1),
        ("endodontics", "اندودانتیکس", "Endodontics", True, 1),
        ("periodontics", "پریودانتیکس", "Periodontics", True, 1),
        ("prosthodontics", "پروتزهای دندانی", "Prosthodontics", True, 1),
        ("paediatric-dentistry", "دندانپزشکی کودکان", "Paediatric Dentistry", True, 1),
        ("restorative-dentistry", "دندانپزشکی ترمیمی", "Restorative Dentistry", True, 1),
    ],
    "pharmacy": [
        ("pharmaceutics", "فارماسیوتیکس", "Pharmaceutics", False, 1),
        ("medicinal-chemistry", "شیمی دارویی", "Medicinal Chemistry", False, 1),
        ("pharmacognosy", "فارماکوگنوزی", "Pharmacognosy", False, 1),
        ("clinical-pharmacy", "داروسازی بالینی", "Clinical Pharmacy", True, 1),
        ("toxicology", "فارماکولوژی و سم‌شناسی", "Pharmacology and Toxicology", False, 1),
    ],
}

# Programs: code, school, department (or None), degree level, degree title, name_fa, name_en,
# nominal terms, maximum terms, credits, first intake year, intake weight (students per year,
# relative), intakes per year (1 = Mehr only, 2 = Mehr and Bahman), typical entry age.
# Specialty residencies are not counted in credits in Iran; their figure is a nominal
# placeholder so that the model's positive-credit invariant holds.
PROGRAMS = [
    ("md", "medicine", None, "professional_doctorate", "MD", "پزشکی عمومی", "Medicine (MD)",
     14, 18, 290, 1363, 10, 2, 18),
    ("dds", "dentistry", None, "professional_doctorate", "DDS", "دندانپزشکی عمومی", "Dentistry (DDS)",
     12, 16, 212, 1374, 3, 1, 18),
    ("pharmd", "pharmacy", None, "professional_doctorate", "PharmD", "داروسازی عمومی", "Pharmacy (PharmD)",
     12, 16, 215, 1390, 3, 1, 18),
    ("bsc-nursing", "nursing-midwifery", "medical-surgical-nursing", "bachelor", "BSc",
     "کارشناسی پرستاری", "Nursing (BSc)", 8, 12, 130, 1365, 8, 2, 18),
    ("bsc-midwifery", "nursing-midwifery", "midwifery", "bachelor", "BSc",
     "کارشناسی مامایی", "Midwifery (BSc)", 8, 12, 135, 1365, 4, 1, 18),
    ("bsc-operating-room", "paramedical", "operating-room", "bachelor", "BSc",
     "کارشناسی اتاق عمل", "Operating Room Technology (BSc)", 8, 12, 130, 1372, 3, 1, 18),
    ("bsc-anaesthesia", "paramedical", "anaesthesia-technology", "bachelor", "BSc",
     "کارشناسی هوشبری", "Anaesthesia Technology (BSc)", 8, 12, 130, 1372, 3, 1, 18),
    ("bsc-lab-sciences", "paramedical", "laboratory-sciences", "bachelor", "BSc",
     "کارشناسی علوم آزمایشگاهی", "Laboratory Sciences (BSc)", 8, 12, 134, 1372, 3, 1, 18),
    ("bsc-radiology", "paramedical", "radiology-technology", "bachelor", "BSc",
     "کارشناسی تکنولوژی پرتوشناسی", "Radiology Technology (BSc)", 8, 12, 130, 1372, 2, 1, 18),
    ("bsc-public-health", "health", "health-education", "bachelor", "BSc",
     "کارشناسی بهداشت عمومی", "Public Health (BSc)", 8, 12, 130, 1370, 3, 1, 18),
    ("bsc-environmental-health", "health", "environmental-health", "bachelor", "BSc",
     "کارشناسی مهندسی بهداشت محیط", "Environmental Health Engineering (BSc)", 8, 12, 130, 1370, 2, 1, 18),
    ("as-medical-emergencies", "paramedical", "medical-emergencies", "associate", "AS",
     "کاردانی فوریت‌های پزشکی", "Medical Emergencies (Associate)", 4, 6, 68, 1385, 3, 1, 18),
    ("msc-nursing", "nursing-midwifery", "medical-surgical-nursing", "master", "MSc",
     "کارشناسی ارشد پرستاری داخلی و جراحی", "Medical-Surgical Nursing (MSc)", 4, 6, 32, 1380, 1, 1, 24),
    ("msc-epidemiology", "health", "epidemiology", "master", "MSc",
     "کارشناسی ارشد اپیدمیولوژی", "Epidemiology (MSc)", 4, 6, 32, 1385, 1, 1, 24),
    ("phd-physiology", "medicine", "physiology", "phd", "PhD",
     "دکترای تخصصی فیزیولوژی", "Physiology (PhD)", 8, 9, 42, 1390, 0.4, 1, 27),
    ("phd-health-education", "health", "health-education", "phd", "PhD",
     "دکترای تخصصی آموزش بهداشت و ارتقای سلامت", "Health Education and Promotion (PhD)",
     8, 9, 42, 1395, 0.4, 1, 27),
    ("res-internal-medicine", "medicine", "internal-medicine", "residency", "Specialist",
     "دستیاری تخصصی بیماری‌های داخلی", "Internal Medicine Residency", 8, 10, 120, 1385, 0.8, 1, 28),
    ("res-surgery", "medicine", "surgery", "residency", "Specialist",
     "دستیاری تخصصی جراحی عمومی", "General Surgery Residency", 8, 10, 120, 1385, 0.6, 1, 28),
    ("res-paediatrics", "medicine", "paediatrics", "residency", "Specialist",
     "دستیاری تخصصی کودکان", "Paediatrics Residency", 8, 10, 120, 1388, 0.6, 1, 28),
    ("res-obgyn", "medicine", "obgyn", "residency", "Specialist",
     "دستیاری تخصصی زنان و زایمان", "Obstetrics and Gynaecology Residency", 8, 10, 120, 1388, 0.6, 1, 28),
]  # fmt: skip

# The MD's four phases (kind, terms): 5 + 2 + 4 + 3 = 14 terms.
MD_PHASES = [("basic_sciences", 5), ("physiopathology", 2), ("externship", 4), ("internship", 3)]
# The other professional doctorates: preclinical then clinical.
DOCTORATE_PHASES = {
    "dds": [("preclinical", 6), ("clinical", 6)],
    "pharmd": [("preclinical", 8), ("clinical", 4)],
}

CAMPUSES = [
    ("پردیس مرکزی دانشگاه", "Central Campus", "qazvin"),
    ("پردیس علوم پایه", "Basic Sciences Campus", "qazvin"),
    ("پردیس بالینی", "Clinical Campus", "qazvin"),
]

# Hospitals and clinics: code, kind, governance, county, urban, beds, name_fa, name_en.
HOSPITALS = [
    ("velayat", "teaching_hospital", "university", "qazvin", True, 420,
     "بیمارستان آموزشی ولایت", "Velayat Teaching Hospital"),
    ("rajaee", "teaching_hospital", "university", "qazvin", True, 300,
     "بیمارستان آموزشی شهید رجایی", "Shahid Rajaee Teaching Hospital"),
    ("bu-ali-sina", "teaching_hospital", "university", "qazvin", True, 250,
     "بیمارستان آموزشی بوعلی سینا", "Bu Ali Sina Teaching Hospital"),
    ("kowsar", "teaching_hospital", "university", "qazvin", True, 180,
     "بیمارستان آموزشی کوثر", "Kowsar Teaching Hospital"),
    ("qods", "teaching_hospital", "university", "qazvin", True, 160,
     "بیمارستان آموزشی کودکان قدس", "Qods Children's Teaching Hospital"),
    ("22-bahman", "teaching_hospital", "university", "qazvin", True, 200,
     "بیمارستان آموزشی ۲۲ بهمن", "22 Bahman Teaching Hospital"),
    ("hosp-takestan", "hospital", "university", "takestan", True, 120,
     "بیمارستان عمومی شهرستان تاکستان", "Takestan County General Hospital"),
    ("hosp-abyek", "hospital", "university", "abyek", True, 90,
     "بیمارستان عمومی شهرستان آبیک", "Abyek County General Hospital"),
    ("hosp-buin-zahra", "hospital", "university", "buin-zahra", True, 90,
     "بیمارستان عمومی شهرستان بوئین‌زهرا", "Buin Zahra County General Hospital"),
    ("hosp-alborz", "hospital", "university", "alborz", True, 110,
     "بیمارستان عمومی شهرستان البرز", "Alborz County General Hospital"),
    ("hosp-avaj", "hospital", "university", "avaj", True, 60,
     "بیمارستان عمومی شهرستان آوج", "Avaj County General Hospital"),
    ("hosp-agreement-1", "hospital", "agreement", "qazvin", True, 150,
     "بیمارستان طرف قرارداد شمارهٔ ۱ قزوین", "Qazvin Partner Hospital No. 1"),
    ("clinic-dental", "clinic", "university", "qazvin", True, None,
     "درمانگاه آموزشی دندانپزشکی", "Dental Teaching Clinic"),
    ("clinic-specialty", "clinic", "university", "qazvin", True, None,
     "درمانگاه تخصصی آموزشی", "Specialty Teaching Clinic"),
    ("clinic-agreement-1", "clinic", "agreement", "takestan", True, None,
     "درمانگاه طرف قرارداد تاکستان", "Takestan Partner Clinic"),
]  # fmt: skip

# Health network per county: (urban centres, rural centres, health houses).
HEALTH_NETWORK = {
    "qazvin": (9, 6, 9),
    "takestan": (2, 3, 4),
    "abyek": (1, 2, 3),
    "buin-zahra": (1, 3, 4),
    "alborz": (2, 2, 3),
    "avaj": (1, 2, 3),
}
# fmt: on

STAFF_OFFICES = [
    # (office_fa, office_en, weight, per school)
    ("اداره آموزش", "Registrar's Office", 5, False),
    ("اداره آموزش دانشکده", "School Education Office", 2, True),
    ("معاونت آموزشی", "Vice-Chancellery for Education", 2, False),
    ("مرکز مهارت‌های بالینی و آموزش بالینی", "Clinical Education Office", 2, False),
    ("معاونت تحقیقات و فناوری", "Research Office", 2, False),
    ("دفتر دانش‌آموختگان و طرح نیروی انسانی", "Graduates and Workforce Office", 2, False),
    ("امور مالی", "Finance Office", 2, False),
    ("مرکز فناوری اطلاعات", "IT Centre", 1, False),
]

RANKS = [("instructor", 15), ("assistant_professor", 50), ("associate_professor", 25), ("professor", 10)]

PRECEPTOR_SPECIALTIES = [
    ("پزشک عمومی", "General practitioner"),
    ("کارشناس پرستاری", "Registered nurse"),
    ("کارشناس مامایی", "Midwife"),
    ("کارشناس بهداشت", "Public health officer"),
    ("متخصص داخلی", "Internist"),
    ("متخصص جراحی عمومی", "General surgeon"),
    ("متخصص کودکان", "Paediatrician"),
    ("متخصص زنان و زایمان", "Obstetrician-gynaecologist"),
]

# Persian given names with English transliterations.
MALE_NAMES = [
    ("علی", "Ali"), ("محمد", "Mohammad"), ("حسین", "Hossein"), ("رضا", "Reza"), ("مهدی", "Mahdi"),
    ("امیر", "Amir"), ("حسن", "Hassan"), ("سعید", "Saeed"), ("مجید", "Majid"), ("احمد", "Ahmad"),
    ("محسن", "Mohsen"), ("مصطفی", "Mostafa"), ("علیرضا", "Alireza"), ("محمدرضا", "Mohammadreza"),
    ("امیرحسین", "Amirhossein"), ("جواد", "Javad"), ("حمید", "Hamid"), ("کامران", "Kamran"),
    ("بهروز", "Behrouz"), ("فرهاد", "Farhad"), ("سینا", "Sina"), ("آرش", "Arash"), ("پویا", "Pouya"),
    ("کیان", "Kian"), ("بابک", "Babak"), ("مهران", "Mehran"), ("یاسر", "Yaser"), ("میلاد", "Milad"),
    ("ابوالفضل", "Abolfazl"), ("عرفان", "Erfan"), ("امید", "Omid"), ("هادی", "Hadi"),
    ("نیما", "Nima"), ("پارسا", "Parsa"), ("داریوش", "Dariush"), ("کاوه", "Kaveh"),
]  # fmt: skip
FEMALE_NAMES = [
    ("فاطمه", "Fatemeh"), ("زهرا", "Zahra"), ("مریم", "Maryam"), ("سارا", "Sara"), ("نرگس", "Narges"),
    ("مینا", "Mina"), ("لیلا", "Leila"), ("الهام", "Elham"), ("نازنین", "Nazanin"), ("سمیرا", "Samira"),
    ("معصومه", "Masoumeh"), ("زینب", "Zeinab"), ("مهسا", "Mahsa"), ("نگار", "Negar"), ("پریسا", "Parisa"),
    ("شیما", "Shima"), ("فرزانه", "Farzaneh"), ("سمانه", "Samaneh"), ("طاهره", "Tahereh"),
    ("آزاده", "Azadeh"), ("هانیه", "Hanieh"), ("ریحانه", "Reyhaneh"), ("یاسمن", "Yasaman"),
    ("کوثر", "Kowsar"), ("ستاره", "Setareh"), ("مهتاب", "Mahtab"), ("سحر", "Sahar"), ("بهاره", "Bahareh"),
    ("نیلوفر", "Niloufar"), ("آیدا", "Aida"), ("ترانه", "Taraneh"), ("شیرین", "Shirin"),
    ("فرشته", "Fereshteh"), ("رویا", "Roya"), ("مائده", "Maedeh"), ("حدیث", "Hadis"),
]  # fmt: skip
LAST_NAMES = [
    ("محمدی", "Mohammadi"), ("حسینی", "Hosseini"), ("احمدی", "Ahmadi"), ("رضایی", "Rezaei"),
    ("کریمی", "Karimi"), ("موسوی", "Mousavi"), ("جعفری", "Jafari"), ("رحیمی", "Rahimi"),
    ("صادقی", "Sadeghi"), ("قاسمی", "Ghasemi"), ("حیدری", "Heidari"), ("نوری", "Nouri"),
    ("اکبری", "Akbari"), ("عباسی", "Abbasi"), ("کاظمی", "Kazemi"), ("مرادی", "Moradi"),
    ("سلیمانی", "Soleimani"), ("باقری", "Bagheri"), ("شریفی", "Sharifi"), ("نجفی", "Najafi"),
    ("امینی", "Amini"), ("یوسفی", "Yousefi"), ("ابراهیمی", "Ebrahimi"), ("طاهری", "Taheri"),
    ("قزوینی", "Ghazvini"), ("تاکستانی", "Takestani"), ("زمانی", "Zamani"), ("فرهادی", "Farhadi"),
    ("حسن‌زاده", "Hassanzadeh"), ("علی‌پور", "Alipour"), ("رستمی", "Rostami"), ("خلیلی", "Khalili"),
    ("میرزایی", "Mirzaei"), ("بهرامی", "Bahrami"), ("نظری", "Nazari"), ("سلطانی", "Soltani"),
    ("شجاعی", "Shojaei"), ("افشار", "Afshar"), ("پورمحمدی", "Pourmohammadi"), ("کرمانی", "Kermani"),
    ("اسدی", "Asadi"), ("خسروی", "Khosravi"), ("فتحی", "Fathi"), ("ملکی", "Maleki"),
    ("جلالی", "Jalali"), ("دهقان", "Dehghan"), ("نیک‌نام", "Niknam"), ("شاه‌محمدی", "Shahmohammadi"),
    ("توکلی", "Tavakoli"), ("منصوری", "Mansouri"), ("قربانی", "Ghorbani"), ("یزدانی", "Yazdani"),
    ("آقایی", "Aghaei"), ("حاتمی", "Hatami"), ("بابایی", "Babaei"), ("عزیزی", "Azizi"),
    ("نصیری", "Nasiri"), ("کیانی", "Kiani"), ("صالحی", "Salehi"), ("مختاری", "Mokhtari"),
]  # fmt: skip
